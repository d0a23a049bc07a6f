package org.emma4j.model.safetensors;

import static org.emma4j.model.safetensors.SpecFiles.build;
import static org.emma4j.model.safetensors.SpecFiles.concat;
import static org.emma4j.model.safetensors.SpecFiles.floatsLE;
import static org.emma4j.model.safetensors.SpecFiles.shortsLE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.HostConversions;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TestTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Single-file safetensors: bit-exact round trips, files built by hand from the spec, and every corruption. */
class SafetensorsFileTest {

    @TempDir
    Path dir;

    /** Random tensors of every dtype and awkward shapes (scalar, empty, 1, 7, 33×97, 130×1×7), random bit patterns. */
    private static Map<String, Tensor> randomTensors(Arena arena, SplittableRandom rnd) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        Object[][] specs = {
                {"a.f32", DType.F32, new long[] {33, 97}},
                {"b.bf16", DType.BF16, new long[] {7}},
                {"c.f16", DType.F16, new long[] {130, 1, 7}},
                {"d.i32", DType.I32, new long[] {1}},
                {"e.scalar", DType.F32, new long[] {}},
                {"f.empty", DType.BF16, new long[] {0, 5}},
                {"model.layers.10.w", DType.BF16, new long[] {97, 33}},
                {"model.layers.2.w", DType.F32, new long[] {1, 130}},
        };
        for (Object[] s : specs) {
            DType dt = (DType) s[1];
            long[] shape = (long[]) s[2];
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            MemorySegment seg = arena.allocate(Math.max(1, n * dt.byteSize()), 8);
            byte[] bytes = new byte[(int) (n * dt.byteSize())];
            rnd.nextBytes(bytes);
            MemorySegment.copy(bytes, 0, seg, ValueLayout.JAVA_BYTE, 0, bytes.length);
            m.put((String) s[0], new Tensor(dt, shape, new org.emma4j.kernels.Storage.Host(seg), 0, (String) s[0]));
        }
        return m;
    }

    @Test
    void roundTripIsBitExactAndFollowsTheSpec() throws Exception {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        try (Arena arena = Arena.ofConfined()) {
            Map<String, Tensor> tensors = randomTensors(arena, rnd);
            List<TensorSource> sources = new ArrayList<>();
            tensors.values().forEach(t -> sources.add(TensorSource.of(t)));
            Collections.shuffle(sources, new java.util.Random(seed));
            Path file = dir.resolve("round.safetensors");
            SafetensorsWriter.write(file, sources);

            // The independent parser: sorted keys, contiguous offsets in that order, padding, dtype names.
            List<SpecFiles.Parsed> parsed = SpecFiles.parseAndCheckWriterOutput(file);
            assertEquals(tensors.keySet().stream().sorted().toList(), parsed.stream().map(SpecFiles.Parsed::name).toList(),
                    "seed " + seed);
            for (SpecFiles.Parsed p : parsed) {
                Tensor t = tensors.get(p.name());
                assertEquals(t.dtype().safetensorsName(), p.dtype());
                assertArrayEquals(t.shape(), p.shape());
                assertArrayEquals(t.segment().toArray(ValueLayout.JAVA_BYTE), p.bytes(), p.name() + ", seed " + seed);
            }

            try (SafetensorsFile f = SafetensorsFile.open(file)) {
                assertEquals(tensors.keySet().stream().sorted().toList(), List.copyOf(f.names()));
                assertEquals(Map.of("format", "pt"), f.metadata());
                for (Tensor t : tensors.values()) {
                    Tensor back = f.tensor(t.name());
                    assertEquals(t.name(), back.name());
                    assertEquals(t.dtype(), back.dtype());
                    assertArrayEquals(t.shape(), back.shape());
                    assertArrayEquals(t.segment().toArray(ValueLayout.JAVA_BYTE), back.segment().toArray(ValueLayout.JAVA_BYTE),
                            t.name() + ", seed " + seed);
                    assertTrue(back.isHost());
                }
                // Zero copy: every tensor is a window of one shared mapping.
                assertTrue(f.tensor("a.f32").storage() == f.tensor("b.bf16").storage());
                assertThrows(IllegalArgumentException.class, () -> f.tensor("absent"));
            }
        }
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void dataSectionIsEightByteAligned() throws Exception {
        // A name length that would leave the JSON at an odd length without padding.
        Path file = dir.resolve("aligned.safetensors");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(12);
            seg.setAtIndex(ValueLayout.JAVA_FLOAT, 0, 1.25f);
            seg.setAtIndex(ValueLayout.JAVA_FLOAT, 1, -3f);
            seg.setAtIndex(ValueLayout.JAVA_FLOAT, 2, 7.5f);
            SafetensorsWriter.write(file, List.of(TensorSource.of("xyz", Tensor.ofHost(seg, DType.F32, 3))));
        }
        long n = ByteBuffer.wrap(Files.readAllBytes(file), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + n) % 8);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            float[] v = HostConversions.toFloats(f.tensor("xyz").segment(), DType.F32, 3);
            assertArrayEquals(new float[] {1.25f, -3f, 7.5f}, v);
        }
    }

    @Test
    void readsAFileBuiltByHandFromTheSpec() throws Exception {
        // Unpadded header (data starts unaligned), data stored in another order than the names sort, metadata present.
        String header = "{\"b\":{\"dtype\":\"BF16\",\"shape\":[1,3],\"data_offsets\":[0,6]},"
                + "\"__metadata__\":{\"format\":\"pt\",\"note\":\"hand made\"},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[6,14]},"
                + "\"c\":{\"dtype\":\"F16\",\"shape\":[2,1],\"data_offsets\":[14,18]}}";
        byte[] data = concat(shortsLE(0x3F80, 0xC000, 0x4049), floatsLE(1.5f, -2.25f), shortsLE(0x3C00, 0xC500));
        Path file = build(dir.resolve("hand.safetensors"), header, data);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertEquals(List.of("a", "b", "c"), List.copyOf(f.names()));
            assertEquals("hand made", f.metadata().get("note"));
            assertArrayEquals(new float[] {1.5f, -2.25f}, floats(f.tensor("a")));
            assertArrayEquals(new float[] {1.0f, -2.0f, 3.140625f}, floats(f.tensor("b")));
            assertArrayEquals(new long[] {1, 3}, f.tensor("b").shape());
            assertArrayEquals(new float[] {1.0f, -5.0f}, floats(f.tensor("c")));
            assertEquals(DType.F16, f.tensor("c").dtype());
        }
    }

    private static float[] floats(Tensor t) {
        return HostConversions.toFloats(t.segment(), t.dtype(), t.size());
    }

    // --------------------------------------------------------------------------------------------- corruption

    private void rejects(Path file, String... fragments) {
        SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> SafetensorsFile.open(file).close());
        assertTrue(e.getMessage().startsWith(file.toString()), "names the file: " + e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message lacks '" + f + "': " + e.getMessage());
        }
    }

    private Path valid(String name) throws Exception {
        Path file = dir.resolve(name);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = arena.allocate(4 * 33);
            MemorySegment b = arena.allocate(2 * 7);
            for (int i = 0; i < 33; i++) {
                a.setAtIndex(ValueLayout.JAVA_FLOAT, i, i * 0.5f + 1);
            }
            SafetensorsWriter.write(file, List.of(TensorSource.of("model.first", Tensor.ofHost(a, DType.F32, 3, 11)),
                    TensorSource.of("model.second", Tensor.ofHost(b, DType.BF16, 7))));
        }
        return file;
    }

    @Test
    void rejectsATruncatedFile() throws Exception {
        Path file = valid("truncated.safetensors");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(raf.length() - 5);
        }
        rejects(file, "tensor 'model.second'", "run past the end of the data section", "truncated");
    }

    @Test
    void rejectsAHeaderLengthPastTheEnd() throws Exception {
        Path file = valid("headerlen.safetensors");
        long size = Files.size(file);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            byte[] len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(size).array();
            raf.write(len);
        }
        rejects(file, "header length " + size, "runs past the end of the file");
        Path huge = build(dir.resolve("huge.safetensors"), "{}", new byte[0]);
        try (RandomAccessFile raf = new RandomAccessFile(huge.toFile(), "rw")) {
            raf.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(-2).array());
        }
        rejects(huge, "header length 18446744073709551614", "runs past the end");
        Path tiny = dir.resolve("tiny.safetensors");
        Files.write(tiny, new byte[] {1, 2, 3});
        rejects(tiny, "3 bytes", "too short");
    }

    @Test
    void rejectsOffsetsPastTheEnd() throws Exception {
        Path file = build(dir.resolve("past.safetensors"),
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[25],\"data_offsets\":[0,100]}}", floatsLE(1f, 2f));
        rejects(file, "tensor 'w'", "[0, 100]", "run past the end", "8 bytes");
    }

    @Test
    void rejectsOverlapsGapsAndLeftoverBytes() throws Exception {
        byte[] data = floatsLE(1, 2, 3, 4, 5);
        rejects(build(dir.resolve("overlap.safetensors"), "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[4,16]}}", concat(data, new byte[0])), "'b'", "overlaps tensor 'a'");
        rejects(build(dir.resolve("gap.safetensors"), "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[12,20]}}", data), "'b' starts at byte 12", "'a' ends at 8",
                "not contiguous");
        rejects(build(dir.resolve("leftover.safetensors"), "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", data),
                "holds 20 bytes", "cover only 16", "'a'");
        rejects(build(dir.resolve("backwards.safetensors"), "{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}}", data),
                "'a'", "end before they begin");
    }

    @Test
    void rejectsUnsupportedDtypesAndShapeMismatches() throws Exception {
        rejects(build(dir.resolve("f64.safetensors"), "{\"w\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}", floatsLE(1, 2)),
                "tensor 'w'", "dtype F64 is not supported", "BF16, F16 and F32");
        rejects(build(dir.resolve("i8.safetensors"), "{\"q\":{\"dtype\":\"I8\",\"shape\":[4],\"data_offsets\":[0,4]}}", floatsLE(1)),
                "tensor 'q'", "dtype I8");
        rejects(build(dir.resolve("mismatch.safetensors"), "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}",
                floatsLE(1, 2)), "tensor 'w'", "shape [3] of F32 needs 12 bytes", "hold 8");
        rejects(build(dir.resolve("bf16mismatch.safetensors"), "{\"w\":{\"dtype\":\"BF16\",\"shape\":[2,2],\"data_offsets\":[0,4]}}",
                floatsLE(1)), "tensor 'w'", "[2, 2] of BF16 needs 8 bytes");
        rejects(build(dir.resolve("shape.safetensors"), "{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", floatsLE(1)),
                "tensor 'w'", "'shape'", "non-negative");
        rejects(build(dir.resolve("offsets.safetensors"), "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", floatsLE(1)),
                "tensor 'w'", "'data_offsets'");
    }

    @Test
    void rejectsBadHeaders() throws Exception {
        rejects(build(dir.resolve("dup.safetensors"), "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", floatsLE(1, 2)), "lists a name twice", "'w'");
        rejects(build(dir.resolve("json.safetensors"), "{\"w\":", floatsLE(1)), "not valid JSON");
        rejects(build(dir.resolve("array.safetensors"), "[1,2]", new byte[0]), "must be a JSON object");
        rejects(build(dir.resolve("meta.safetensors"), "{\"__metadata__\":{\"format\":3}}", new byte[0]), "__metadata__", "'format'");
    }

    @Test
    void writerRejectsDuplicateAndReservedNames() {
        try (Arena arena = Arena.ofConfined()) {
            Tensor t = Tensor.ofHost(arena.allocate(4), DType.F32, 1);
            assertThrows(IllegalArgumentException.class,
                    () -> SafetensorsWriter.write(dir.resolve("x.safetensors"), List.of(TensorSource.of("a", t), TensorSource.of("a", t))));
            assertThrows(IllegalArgumentException.class, () -> TensorSource.of("__metadata__", t));
        }
    }
}
