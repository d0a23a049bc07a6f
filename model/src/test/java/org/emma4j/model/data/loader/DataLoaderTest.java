package org.emma4j.model.data.loader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.emma4j.kernels.TestTensors;
import org.emma4j.model.data.mix.BosPolicy;
import org.emma4j.model.data.mix.TokenDType;
import org.emma4j.model.data.shards.SequencePacker;
import org.emma4j.model.data.shards.ShardIndex;
import org.emma4j.model.data.shards.ShardInfo;
import org.emma4j.model.data.shards.ShardWriter;
import org.emma4j.model.data.shards.SplitInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training loader over real shard files: sequence i holds i + 1 in its first token (and, as a check,
 * i + 2, i + 3, ... after it), so every batch row says which sequence it is.
 */
class DataLoaderTest {
    private static final int PAD = 0;

    @TempDir
    Path dir;

    /** N sequences of T + 1 tokens; the last one has {@code lastValid} real tokens. */
    private Path shards(int n, int seqLen, int lastValid, int perShard) throws IOException {
        Path out = Files.createTempDirectory(dir, "shards");
        List<ShardInfo> infos;
        long valid = 0;
        try (ShardWriter w = new ShardWriter(out, "train", TokenDType.UINT32, seqLen + 1, perShard, PAD)) {
            for (int i = 0; i < n; i++) {
                int v = i == n - 1 ? lastValid : seqLen + 1;
                int[] seq = new int[seqLen + 1];
                for (int t = 0; t < v; t++) {
                    seq[t] = i + 1 + t;
                }
                w.write(seq, v);
                valid += v;
            }
            infos = w.finish();
        }
        new ShardIndex(seqLen, TokenDType.UINT32, BosPolicy.SEQUENCE_START, 1, PAD, PAD, 0, 1 << 30, "x",
                Map.of("train", new SplitInfo(n, valid, n, infos))).write(out);
        return out;
    }

    /** Runs one epoch; returns the sequence ids seen (first token - 1) and checks inputs/labels/padding. */
    private static List<Integer> epoch(DataLoader loader, int seqLen, int lastValid, int n) {
        int b = loader.microBatch();
        int[] inputs = new int[b * seqLen];
        int[] labels = new int[b * seqLen];
        List<Integer> seen = new ArrayList<>();
        for (long s = 0; s < loader.stepsPerEpoch(); s++) {
            int real = loader.nextBatch(inputs, labels);
            for (int row = 0; row < b; row++) {
                int at = row * seqLen;
                if (row >= real) {
                    for (int t = 0; t < seqLen; t++) {
                        assertEquals(PAD, inputs[at + t]);
                        assertEquals(DataLoader.IGNORE_LABEL, labels[at + t], "padding rows are not trained on");
                    }
                    continue;
                }
                int id = inputs[at] - 1;
                seen.add(id);
                int valid = id == n - 1 ? lastValid : seqLen + 1;
                for (int t = 0; t < seqLen; t++) {
                    assertEquals(t < valid ? id + 1 + t : PAD, inputs[at + t], "inputs are tokens 0..T-1");
                    assertEquals(t + 1 < valid ? id + 2 + t : DataLoader.IGNORE_LABEL, labels[at + t],
                            "labels are tokens 1..T, ignored past the real tokens");
                }
            }
        }
        return seen;
    }

    @Test
    void everySequenceOnceAnEpochAndEachEpochInItsOwnSeededOrder() throws IOException {
        long seed = TestTensors.freshSeed();
        int n = 97;
        int seqLen = 7;
        int lastValid = 3;
        Path data = shards(n, seqLen, lastValid, 10);
        try (DataLoader loader = DataLoader.open(data, seqLen, 5, seed, 0, 1)) {
            assertEquals(20, loader.stepsPerEpoch(), "ceil(97 / 5)");
            List<Integer> first = epoch(loader, seqLen, lastValid, n);
            assertEquals(new LoaderPosition(1, 0), loader.position());
            List<Integer> second = epoch(loader, seqLen, lastValid, n);
            for (List<Integer> e : List.of(first, second)) {
                assertEquals(n, e.size());
                assertEquals(n, new HashSet<>(e).size(), "seed " + seed + ": a sequence twice in one epoch");
            }
            assertNotEquals(first, second, "seed " + seed + ": epochs should be shuffled differently");
        }
        try (DataLoader other = DataLoader.open(data, seqLen, 5, seed + 1, 0, 1);
             DataLoader same = DataLoader.open(data, seqLen, 5, seed, 0, 1);
             DataLoader again = DataLoader.open(data, seqLen, 5, seed, 0, 1)) {
            assertEquals(epoch(same, seqLen, lastValid, n), epoch(again, seqLen, lastValid, n), "same seed, same order");
            assertNotEquals(epoch(same, seqLen, lastValid, n), epoch(other, seqLen, lastValid, n), "seed " + seed);
        }
    }

    @Test
    void ranksTakeDisjointSlicesThatCoverEverythingInTheSameNumberOfSteps() throws IOException {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int trial = 0; trial < 4; trial++) {
            int n = 1 + rnd.nextInt(130);
            int world = 1 + rnd.nextInt(5);
            int micro = 1 + rnd.nextInt(7);
            Path data = shards(n, 4, 5, 1 + rnd.nextInt(40));
            Set<Integer> union = new HashSet<>();
            int total = 0;
            long steps = -1;
            for (int rank = 0; rank < world; rank++) {
                try (DataLoader loader = DataLoader.open(data, 4, micro, seed, rank, world)) {
                    steps = steps < 0 ? loader.stepsPerEpoch() : steps;
                    assertEquals(steps, loader.stepsPerEpoch(), "every rank runs the same steps");
                    List<Integer> seen = epoch(loader, 4, 5, n);
                    total += seen.size();
                    union.addAll(seen);
                }
            }
            assertEquals(n, total, "seed " + seed + ": n " + n + ", world " + world + ", micro " + micro + ": overlap");
            assertEquals(n, union.size(), "seed " + seed + ": not covering");
        }
    }

    @Test
    void resumingFromASavedPositionContinuesExactly() throws IOException {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        int seqLen = 9;
        Path data = shards(33, seqLen, 10, 7);
        int micro = 4;
        int[] in = new int[micro * seqLen];
        int[] lab = new int[micro * seqLen];
        try (DataLoader uninterrupted = DataLoader.open(data, seqLen, micro, seed, 1, 2)) {
            int k = 1 + rnd.nextInt(12); // crosses the epoch boundary (5 steps an epoch) for most k
            for (int i = 0; i < k; i++) {
                uninterrupted.nextBatch(in, lab);
            }
            LoaderPosition saved = uninterrupted.position();
            List<int[]> expected = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                uninterrupted.nextBatch(in, lab);
                expected.add(in.clone());
                expected.add(lab.clone());
            }
            try (DataLoader resumed = DataLoader.open(data, seqLen, micro, seed, 1, 2)) {
                resumed.seek(new LoaderPosition(saved.epoch(), saved.step()));
                for (int i = 0; i < 12; i++) {
                    resumed.nextBatch(in, lab);
                    assertArrayEquals(expected.get(2 * i), in, "seed " + seed + ", k " + k + ", batch " + i + " after resume");
                    assertArrayEquals(expected.get(2 * i + 1), lab, "seed " + seed + ", k " + k);
                }
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> uninterrupted.seek(new LoaderPosition(0, uninterrupted.stepsPerEpoch())));
            assertTrue(e.getMessage().contains("past the end of an epoch"), e.getMessage());
        }
    }

    @Test
    void seqLenMismatchIsExplained() throws IOException {
        Path data = shards(5, 8, 9, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataLoader.open(data, 16, 1, 0, 0, 1));
        assertTrue(e.getMessage().contains("seq_len 8") && e.getMessage().contains("seq_len 16"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DataLoader.open(data, 8, 1, 0, 2, 2));
    }

    @Test
    void preTokenizedJsonLinesArePackedOnTheFlyByTheSameRules() throws IOException {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        List<int[]> docs = new ArrayList<>();
        StringBuilder lines = new StringBuilder();
        for (int d = 0; d < 40; d++) {
            int[] ids = new int[1 + rnd.nextInt(30)];
            for (int t = 0; t < ids.length; t++) {
                ids[t] = 10 + rnd.nextInt(1000);
            }
            docs.add(ids);
            lines.append("{\"input_ids\": ").append(Arrays.toString(ids)).append("}\n");
        }
        Path file = Files.writeString(dir.resolve("docs.jsonl"), lines);
        int seqLen = 12;
        List<int[]> expected = new ArrayList<>();
        SequencePacker packer = new SequencePacker(seqLen + 1, BosPolicy.SEQUENCE_START, 1, 2, 2, (s, v) -> expected.add(s.clone()));
        for (int[] d : docs) {
            packer.addDocument(d, 0, d.length);
        }
        packer.finish();
        try (DataLoader loader = DataLoader.openTokenizedJsonl(List.of(file), BosPolicy.SEQUENCE_START, 1, 2, seqLen, 1, seed, 0, 1)) {
            assertEquals(expected.size(), loader.sequenceCount());
            Set<String> want = new HashSet<>();
            expected.forEach(s -> want.add(Arrays.toString(s)));
            Set<String> got = new HashSet<>();
            int[] row = new int[seqLen + 1];
            for (long s = 0; s < loader.stepsPerEpoch(); s++) {
                loader.nextSequences(row);
                got.add(Arrays.toString(row));
            }
            assertEquals(want, got, "seed " + seed);
        }
        Files.writeString(file, lines + "{\"input_ids\": [1, -5]}\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DataLoader.openTokenizedJsonl(List.of(file), BosPolicy.NONE, 1, 2, seqLen, 1, seed, 0, 1));
        assertTrue(e.getMessage().startsWith(file + ":41: bad_token_id"), e.getMessage());
    }
}
