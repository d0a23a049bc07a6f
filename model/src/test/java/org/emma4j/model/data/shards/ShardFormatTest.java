package org.emma4j.model.data.shards;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.emma4j.kernels.TestTensors;
import org.emma4j.model.data.mix.BosPolicy;
import org.emma4j.model.data.mix.TokenDType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Token shards: what is written reads back the same; the header and index are checked. */
class ShardFormatTest {
    @TempDir
    Path dir;

    /** Writes {@code count} random sequences (the last padded to {@code lastValid}) in shards of {@code perShard}. */
    private List<int[]> writeSplit(SplittableRandom rnd, int length, int count, int lastValid, int perShard, TokenDType dtype)
            throws IOException {
        List<int[]> written = new ArrayList<>();
        List<ShardInfo> shards;
        long valid = 0;
        try (ShardWriter w = new ShardWriter(dir, "train", dtype, length, perShard, 7)) {
            for (int i = 0; i < count; i++) {
                int v = i == count - 1 ? lastValid : length;
                int[] seq = new int[length];
                for (int t = 0; t < length; t++) {
                    seq[t] = t < v ? rnd.nextInt(Integer.MAX_VALUE) : 7;
                }
                w.write(seq, v);
                written.add(seq);
                valid += v;
            }
            shards = w.finish();
        }
        new ShardIndex(length - 1, dtype, BosPolicy.SEQUENCE_START, 1, 2, 7, 3, 1000, "x",
                Map.of("train", new SplitInfo(count, valid, count, shards))).write(dir);
        return written;
    }

    @Test
    void sequencesReadBackExactlyAcrossShardsWithTheHeaderFilled() throws IOException {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int[] shape : new int[][] {{33, 97, 10}, {2, 7, 1}, {130, 33, 33}, {7, 1, 4}}) {
            for (Path p : Files.list(dir).toList()) {
                Files.delete(p);
            }
            int length = shape[0];
            int count = shape[1];
            int lastValid = 1 + rnd.nextInt(length);
            TokenDType dtype = rnd.nextBoolean() ? TokenDType.UINT32 : TokenDType.INT32;
            List<int[]> written = writeSplit(rnd, length, count, lastValid, shape[2], dtype);
            try (TokenShardDataset data = TokenShardDataset.open(dir, "train")) {
                assertEquals(count, data.count());
                assertEquals(length, data.sequenceLength());
                assertEquals((count + shape[2] - 1) / shape[2], data.index().splits().get("train").shards().size());
                int[] got = new int[length + 3];
                for (int i = 0; i < count; i++) {
                    data.read(i, got, 3);
                    assertArrayEquals(written.get(i), java.util.Arrays.copyOfRange(got, 3, 3 + length), "seed " + seed + " sequence " + i);
                    assertEquals(i == count - 1 ? lastValid : length, data.validLength(i));
                }
                assertEquals(7, data.padId());
            }
            try (TokenShard first = TokenShard.open(dir.resolve("train-00000.bin"))) {
                ShardHeader h = first.header();
                assertEquals(dtype, h.dtype());
                assertEquals(length, h.sequenceLength());
                assertEquals(Math.min(count, shape[2]), h.sequenceCount());
                assertEquals(Files.size(dir.resolve("train-00000.bin")), 64 + 4L * h.sequenceCount() * length);
                assertEquals(written.get(0)[0], first.token(0), "tokens start right after the 64-byte header, little-endian");
            }
        }
    }

    @Test
    void headerBytesAreTheDocumentedLayout() {
        byte[] b = new ShardHeader(TokenDType.INT32, 2049, 5, 10000, 128001).toBytes();
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("E4JTOKEN", new String(b, 0, 8, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(1, buf.getInt(8));
        assertEquals(2, buf.getInt(12));
        assertEquals(2049, buf.getInt(16));
        assertEquals(64, buf.getInt(20));
        assertEquals(5, buf.getLong(24));
        assertEquals(10000, buf.getLong(32));
        assertEquals(128001, buf.getInt(40));
        for (int i = 44; i < 64; i++) {
            assertEquals(0, b[i]);
        }
    }

    @Test
    void truncatedOrForeignFilesAndIndexMismatchesAreRefusedByName() throws IOException {
        SplittableRandom rnd = new SplittableRandom(TestTensors.freshSeed());
        writeSplit(rnd, 9, 20, 9, 8, TokenDType.UINT32);
        Path shard = dir.resolve("train-00001.bin");
        try (FileChannel ch = FileChannel.open(shard, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 4);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TokenShardDataset.open(dir, "train"));
        assertTrue(e.getMessage().startsWith(shard.toString()) && e.getMessage().contains("truncated"), e.getMessage());
        Files.write(shard, "not a shard at all, just some text that is long enough to hold a header......".getBytes());
        e = assertThrows(IllegalArgumentException.class, () -> TokenShardDataset.open(dir, "train"));
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TokenShardDataset.open(dir, "validation"));
        assertTrue(e.getMessage().contains("no split 'validation'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TokenShardDataset.open(dir.resolve("nowhere"), "train"));
        assertTrue(e.getMessage().contains("no index.json"), e.getMessage());
    }

    @Test
    void onlyTheLastSequenceMayBePadded() throws IOException {
        try (ShardWriter w = new ShardWriter(dir, "x", TokenDType.UINT32, 4, 10, 0)) {
            w.write(new int[] {1, 2, 0, 0}, 2);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.write(new int[] {1, 2, 3, 4}, 4));
            assertTrue(e.getMessage().contains("last"), e.getMessage());
        }
    }
}
