package org.emma4j.model.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TestTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sharded checkpoints: Hugging Face's file names and index, reading back, and index/shard disagreements. */
class ShardedSafetensorsTest {

    @TempDir
    Path dir;

    /** Ten random tensors of 97·(i+1) BF16 or F32 elements, in "model order". */
    private static Map<String, Tensor> tensors(Arena arena, SplittableRandom rnd) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            DType dt = i % 3 == 0 ? DType.F32 : DType.BF16;
            long n = 97L * (i + 1);
            MemorySegment seg = arena.allocate(n * dt.byteSize());
            byte[] bytes = new byte[(int) seg.byteSize()];
            rnd.nextBytes(bytes);
            MemorySegment.copy(bytes, 0, seg, ValueLayout.JAVA_BYTE, 0, bytes.length);
            String name = "model.layers." + i + ".w";
            m.put(name, Tensor.ofHost(seg, dt, n).named(name));
        }
        return m;
    }

    private static List<TensorSource> sources(Map<String, Tensor> tensors) {
        List<TensorSource> s = new ArrayList<>();
        tensors.values().forEach(t -> s.add(TensorSource.of(t)));
        return s;
    }

    @Test
    void shardsPastTheLimitWithHuggingFaceNamesAndIndex() throws Exception {
        long seed = TestTensors.freshSeed();
        try (Arena arena = Arena.ofConfined()) {
            Map<String, Tensor> tensors = tensors(arena, new SplittableRandom(seed));
            long limit = 1500;
            List<String> written = ShardedSafetensorsWriter.write(dir, sources(tensors), limit, WriteProgress.NONE);
            int shards = written.size() - 1;
            assertTrue(shards > 2, "several shards: " + written);
            for (int i = 0; i < shards; i++) {
                assertEquals(String.format("model-%05d-of-%05d.safetensors", i + 1, shards), written.get(i));
                SpecFiles.parseAndCheckWriterOutput(dir.resolve(written.get(i)));
            }
            assertEquals("model.safetensors.index.json", written.getLast());
            assertFalse(Files.exists(dir.resolve("model.safetensors")));

            JsonNode index = new ObjectMapper().readTree(dir.resolve("model.safetensors.index.json").toFile());
            long total = tensors.values().stream().mapToLong(Tensor::byteSize).sum();
            assertEquals(total, index.get("metadata").get("total_size").asLong());
            List<String> keys = new ArrayList<>();
            index.get("weight_map").fieldNames().forEachRemaining(keys::add);
            assertEquals(keys.stream().sorted().toList(), keys, "weight_map sorted");
            assertEquals(tensors.keySet().stream().sorted().toList(), keys);

            try (ShardedSafetensors st = ShardedSafetensors.open(dir)) {
                assertEquals(shards, st.files().size());
                for (Tensor t : tensors.values()) {
                    Tensor back = st.tensor(t.name());
                    assertEquals(t.dtype(), back.dtype());
                    assertArrayEquals(t.shape(), back.shape());
                    assertArrayEquals(t.segment().toArray(ValueLayout.JAVA_BYTE), back.segment().toArray(ValueLayout.JAVA_BYTE),
                            t.name() + ", seed " + seed);
                    assertEquals(index.get("weight_map").get(t.name()).asText(), st.fileOf(t.name()).getFileName().toString());
                    // Shards are filled in model order: every shard but the last is within the limit.
                }
                for (int i = 0; i < shards; i++) {
                    long bytes = Files.size(dir.resolve(written.get(i)));
                    try (SafetensorsFile f = SafetensorsFile.open(dir.resolve(written.get(i)))) {
                        long data = f.entries().stream().mapToLong(SafetensorsEntry::byteSize).sum();
                        assertTrue(data <= limit || f.entries().size() == 1, "shard " + i + " holds " + data + " bytes (" + bytes + ")");
                    }
                }
            }
        }
    }

    @Test
    void oneFileWhenEverythingFits() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            Map<String, Tensor> tensors = tensors(arena, new SplittableRandom(TestTensors.freshSeed()));
            List<String> written = ShardedSafetensorsWriter.write(dir, sources(tensors), ShardedSafetensorsWriter.DEFAULT_MAX_SHARD_BYTES,
                    WriteProgress.NONE);
            assertEquals(List.of("model.safetensors"), written);
            assertFalse(Files.exists(dir.resolve("model.safetensors.index.json")));
            try (ShardedSafetensors st = ShardedSafetensors.open(dir)) {
                assertEquals(tensors.keySet().stream().sorted().toList(), List.copyOf(st.names()));
            }
        }
    }

    @Test
    void planGivesAnOversizedTensorItsOwnShard() {
        TensorContent none = dst -> { };
        List<TensorSource> ts = List.of(new TensorSource("a", DType.F32, new long[] {10}, none),
                new TensorSource("big", DType.F32, new long[] {100}, none), new TensorSource("c", DType.F32, new long[] {10}, none),
                new TensorSource("d", DType.F32, new long[] {10}, none));
        List<List<TensorSource>> plan = ShardedSafetensorsWriter.plan(ts, 100);
        assertEquals(List.of(List.of("a"), List.of("big"), List.of("c", "d")),
                plan.stream().map(s -> s.stream().map(TensorSource::name).toList()).toList());
    }

    @Test
    void progressSeesEveryTensor() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            Map<String, Tensor> tensors = tensors(arena, new SplittableRandom(TestTensors.freshSeed()));
            Map<String, Long> seen = new LinkedHashMap<>();
            ShardedSafetensorsWriter.write(dir, sources(tensors), 2000, seen::put);
            assertEquals(tensors.size(), seen.size());
            tensors.values().forEach(t -> assertEquals(t.byteSize(), seen.get(t.name())));
        }
    }

    // ------------------------------------------------------------------------------ index and shard disagreement

    /** Writes the ten tensors in several shards and returns the file names (the index last). */
    private List<String> writeSharded() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            List<String> written = ShardedSafetensorsWriter.write(dir, sources(tensors(arena, new SplittableRandom(7))), 1500,
                    WriteProgress.NONE);
            assertTrue(written.size() > 3, "at least three shards: " + written);
            return written;
        }
    }

    private void rejects(String... fragments) {
        SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> ShardedSafetensors.open(dir).close());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message lacks '" + f + "': " + e.getMessage());
        }
    }

    @Test
    void rejectsATensorListedButMissingFromItsShard() throws Exception {
        List<String> written = writeSharded();
        Path index = dir.resolve(written.getLast());
        String json = Files.readString(index);
        Files.writeString(index, json.replace("\"weight_map\": {", "\"weight_map\": {\n    \"model.layers.77.w\": \"" + written.getFirst() + "\","));
        rejects(index.toString(), "lists tensor 'model.layers.77.w' in " + written.getFirst(), "does not contain it");
    }

    @Test
    void rejectsATensorTheIndexDoesNotList() throws Exception {
        List<String> written = writeSharded();
        Path index = dir.resolve(written.getLast());
        Files.writeString(index, Files.readString(index).replaceFirst("\\s*\"model\\.layers\\.0\\.w\": \"[^\"]+\",", ""));
        rejects("contains tensor 'model.layers.0.w'", "does not list", "model-00001-of-");
    }

    @Test
    void rejectsATensorInTwoShards() throws Exception {
        List<String> written = writeSharded();
        Path index = dir.resolve(written.getLast());
        // Rewrite shard 2 so that it also holds shard 1's first tensor.
        String shard1 = written.get(0);
        String shard2 = written.get(1);
        List<TensorSource> copy = new ArrayList<>();
        try (SafetensorsFile a = SafetensorsFile.open(dir.resolve(shard1)); SafetensorsFile b = SafetensorsFile.open(dir.resolve(shard2))) {
            for (String n : b.names()) {
                copy.add(TensorSource.of(b.tensor(n)));
            }
            copy.add(TensorSource.of(a.tensor("model.layers.0.w")));
            SafetensorsWriter.write(dir.resolve("tmp.safetensors"), copy);
        }
        Files.move(dir.resolve("tmp.safetensors"), dir.resolve(shard2), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        rejects("tensor 'model.layers.0.w' appears in both", shard2, shard1);
        assertTrue(Files.exists(index));
    }

    @Test
    void rejectsMissingShardsAndBadIndexes() throws Exception {
        List<String> written = writeSharded();
        Path index = dir.resolve(written.getLast());
        Files.delete(dir.resolve(written.get(2)));
        rejects(index.toString(), "refers to shard " + written.get(2), "does not exist");
        Files.writeString(index, "{\"weight_map\": {\"x\": \"../outside.safetensors\"}}");
        rejects("'x'", "must name a file in the model directory");
        Files.writeString(index, "{\"metadata\": {}}");
        rejects("'weight_map' must be an object");
        Files.writeString(index, "{\"weight_map\": {\"x\": \"a\", \"x\": \"b\"}}");
        rejects("appears twice", "'x'");
        Files.delete(index);
        assertThrows(java.nio.file.NoSuchFileException.class, () -> ShardedSafetensors.open(dir));
    }
}
