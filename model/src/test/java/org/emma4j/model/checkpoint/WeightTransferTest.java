package org.emma4j.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.emma4j.kernels.Backend;
import org.emma4j.kernels.BackendsUnderTest;
import org.emma4j.kernels.Bf16;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.HostConversions;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorScope;
import org.emma4j.kernels.TestTensors;
import org.emma4j.kernels.cpu.CpuPool;
import org.emma4j.model.config.LlamaConfig;
import org.emma4j.model.safetensors.WriteProgress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading checkpoint weights into each backend's memory in another dtype, and saving backend weights back.
 * The references are the dtype definitions themselves, element by element: widening BF16/F16 to F32 is
 * exact, narrowing to BF16 is {@link Bf16#fromFloat} (round to nearest even), so results must match bit for bit.
 */
class WeightTransferTest {

    private static List<Backend> backends;
    private static CpuPool pool;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        backends = BackendsUnderTest.create();
        pool = new CpuPool(2);
    }

    @AfterAll
    static void stop() {
        backends.forEach(Backend::close);
        pool.close();
    }

    private Path model(String name, LlamaConfig config, long seed) throws Exception {
        Path p = dir.resolve(name);
        LlamaCheckpointWriter.write(p, config, RandomInit.sources(config, seed, pool), LlamaCheckpointWriter.Options.defaults(),
                WriteProgress.NONE);
        return p;
    }

    private static float[] hostFloats(Tensor t) {
        return HostConversions.toFloats(t.segment(), t.dtype(), t.size());
    }

    private static float[] roundedToBf16(float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Bf16.toFloat(Bf16.fromFloat(x[i]));
        }
        return y;
    }

    @Test
    void copiesMappedWeightsIntoEachBackendInAnyDtype() throws Exception {
        long seed = TestTensors.freshSeed();
        LlamaConfig base = LlamaCheckpointTest.SMALL;
        for (DType fileType : new DType[] {DType.BF16, DType.F16, DType.F32}) {
            LlamaConfig config = base.withDType(fileType).withTiedEmbeddings(fileType == DType.F16);
            Path p = model("m-" + fileType, config, seed);
            try (LlamaCheckpoint ckpt = LlamaCheckpoint.open(p)) {
                for (Backend backend : backends) {
                    for (DType target : new DType[] {DType.F32, DType.BF16}) {
                        try (TensorScope scope = backend.newScope()) {
                            LlamaWeights copy = ckpt.copyTo(backend, scope, target);
                            assertEquals(config.tieWordEmbeddings(), copy.tied());
                            Map<String, Tensor> mapped = ckpt.weights().byName();
                            Map<String, Tensor> copied = copy.byName();
                            assertEquals(mapped.keySet(), copied.keySet());
                            for (String name : mapped.keySet()) {
                                Tensor c = copied.get(name);
                                assertEquals(target, c.dtype());
                                assertEquals(name, c.name());
                                assertArrayEquals(mapped.get(name).shape(), c.shape());
                                float[] source = hostFloats(mapped.get(name)); // exact widening of the file's values
                                float[] expected = target == DType.F32 ? source : roundedToBf16(source);
                                assertArrayEquals(expected, backend.toFloats(c), fileType + "→" + target + " " + name + " on "
                                        + backend.name() + ", seed " + seed);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void savesBackendWeightsInTheFileDtype() throws Exception {
        long seed = TestTensors.freshSeed();
        LlamaConfig config = LlamaCheckpointTest.SMALL.withDType(DType.F32);
        Path source = model("source", config, seed);
        try (LlamaCheckpoint ckpt = LlamaCheckpoint.open(source)) {
            for (Backend backend : backends) {
                try (TensorScope scope = backend.newScope()) {
                    LlamaWeights master = ckpt.copyTo(backend, scope, DType.F32);
                    for (DType fileType : new DType[] {DType.F32, DType.BF16}) {
                        Path out = dir.resolve("saved-" + fileType + "-" + backend.name().replaceAll("\\W", ""));
                        LlamaCheckpointWriter.write(out, config, master, backend, fileType, LlamaCheckpointWriter.Options.defaults(),
                                WriteProgress.NONE);
                        try (LlamaCheckpoint saved = LlamaCheckpoint.open(out)) {
                            assertEquals(config.withDType(fileType), saved.config());
                            for (Map.Entry<String, Tensor> e : master.byName().entrySet()) {
                                Tensor back = saved.weights().byName().get(e.getKey());
                                assertEquals(fileType, back.dtype());
                                float[] f32 = backend.toFloats(e.getValue());
                                float[] expected = fileType == DType.F32 ? f32 : roundedToBf16(f32);
                                assertArrayEquals(expected, hostFloats(back), e.getKey() + " as " + fileType + ", seed " + seed);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Tensors longer than the staging chunk (1000 elements here), with values that exercise rounding: ties at every bf16 step, NaN,
     * infinities, signed zero and subnormals among random values.
     */
    @Test
    void convertsAcrossStagingChunksWithExactRounding() {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        int chunk = 1000;
        int n = 2 * chunk + 7;
        float[] values = TestTensors.uniform(rnd, n, 3.0);
        float[] specials = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, Float.MIN_VALUE, 1e-40f,
                Float.intBitsToFloat(0x3F808000), Float.intBitsToFloat(0x3F818000), Float.intBitsToFloat(0x3F80FFFF), 65504f, 70000f};
        for (int i = 0; i < specials.length; i++) {
            values[chunk - 3 + i] = specials[i]; // straddling a chunk boundary
            values[rnd.nextInt(n)] = specials[i];
        }
        for (Backend backend : backends) {
            try (Arena arena = Arena.ofConfined(); TensorScope scope = backend.newScope()) {
                MemorySegment host = arena.allocate(4L * n, 64);
                MemorySegment.copy(values, 0, host, ValueLayout.JAVA_FLOAT, 0, n);
                Tensor src = Tensor.ofHost(host, DType.F32, n).named("values");
                Tensor bf16 = scope.allocate(DType.BF16, n);
                TensorTransfer.upload(backend, bf16, src, chunk);
                float[] got = backend.toFloats(bf16);
                for (int i = 0; i < n; i++) {
                    float expected = Bf16.toFloat(Bf16.fromFloat(values[i]));
                    if (Float.floatToIntBits(expected) != Float.floatToIntBits(got[i])) {
                        throw new AssertionError("F32→BF16 element " + i + " of " + values[i] + ": expected " + expected + ", found "
                                + got[i] + " on " + backend.name() + ", seed " + seed);
                    }
                }
                // Down again into F16 and F32 host memory.
                MemorySegment f16 = arena.allocate(2L * n, 64);
                TensorTransfer.download(backend, bf16, f16, DType.F16, chunk);
                float[] halves = HostConversions.toFloats(f16, DType.F16, n);
                MemorySegment f32 = arena.allocate(4L * n, 64);
                TensorTransfer.download(backend, bf16, f32, DType.F32, chunk);
                float[] widened = HostConversions.toFloats(f32, DType.F32, n);
                for (int i = 0; i < n; i++) {
                    float expectedHalf = Float.float16ToFloat(Float.floatToFloat16(got[i]));
                    if (Float.floatToIntBits(expectedHalf) != Float.floatToIntBits(halves[i])
                            || Float.floatToIntBits(got[i]) != Float.floatToIntBits(widened[i])) {
                        throw new AssertionError("BF16→F16/F32 element " + i + " of " + got[i] + ": found " + halves[i] + " / "
                                + widened[i] + " on " + backend.name() + ", seed " + seed);
                    }
                }
            }
        }
    }

    @Test
    void tiedCopiesStayOneTensor() throws Exception {
        LlamaConfig tied = LlamaCheckpointTest.SMALL.withTiedEmbeddings(true);
        try (LlamaCheckpoint ckpt = LlamaCheckpoint.open(model("tied", tied, 9))) {
            Backend backend = backends.getFirst();
            try (TensorScope scope = backend.newScope()) {
                long before = scope.allocatedBytes();
                LlamaWeights copy = ckpt.copyTo(backend, scope, DType.F32);
                assertSame(copy.embedTokens(), copy.lmHead());
                assertEquals(tied.parameterCount() * 4, scope.allocatedBytes() - before, "the embedding is copied once");
            }
        }
    }
}
