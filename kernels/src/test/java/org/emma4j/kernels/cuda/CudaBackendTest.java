package org.emma4j.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.emma4j.kernels.Backend;
import org.emma4j.kernels.Backends;
import org.emma4j.kernels.BackendsUnderTest;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorScope;
import org.emma4j.kernels.TestTensors;
import org.emma4j.kernels.cpu.CpuBackend;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Checks only the CUDA backend has (every op's numerics run through the shared op tests, which include it
 * when a GPU is usable). Skipped with the probe's reason on machines without a usable GPU.
 */
class CudaBackendTest {

    @BeforeEach
    void needsAGpu() {
        Assumptions.assumeTrue(BackendsUnderTest.cudaEnabled(), "CUDA tests are switched off (emma4j.test.cuda=false)");
        var probe = BackendsUnderTest.cudaProbe();
        Assumptions.assumeTrue(probe.usable(), "no usable GPU: " + probe.reason());
    }

    @Test
    void namesItsDeviceAndComesFromTheFactory() {
        try (Backend b = Backends.create("cuda", null, m -> { })) {
            assertTrue(b instanceof CudaBackend && b.name().startsWith("cuda:0 ("), b.name());
        }
    }

    @Test
    void hostAndDeviceTensorsDoNotMix() {
        try (CudaBackend gpu = new CudaBackend(); CpuBackend cpu = new CpuBackend(1);
             TensorScope host = cpu.newScope(); TensorScope device = gpu.newScope()) {
            Tensor h = host.zeros(DType.F32, 4).named("hostX");
            Tensor d = device.zeros(DType.F32, 4).named("deviceX");
            var e = assertThrows(IllegalArgumentException.class, () -> gpu.scale(h, 2f));
            assertTrue(e.getMessage().contains("hostX") && e.getMessage().contains("host memory"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> cpu.scale(d, 2f));
            assertTrue(e.getMessage().contains("deviceX"), e.getMessage());
            var s = assertThrows(IllegalStateException.class, d::segment);
            assertTrue(s.getMessage().contains("device"), s.getMessage());
        }
    }

    @Test
    void heapSegmentsUploadAndDownload() {
        long seed = TestTensors.freshSeed();
        float[] x = TestTensors.uniform(new SplittableRandom(seed), 97, 3);
        try (CudaBackend gpu = new CudaBackend(); TensorScope scope = gpu.newScope()) {
            Tensor t = scope.allocate(DType.F32, 97);
            gpu.upload(t, MemorySegment.ofArray(x));
            float[] back = new float[97];
            gpu.download(t, MemorySegment.ofArray(back));
            assertArrayEquals(x, back, "seed " + seed);
            var e = assertThrows(IllegalArgumentException.class, () -> gpu.upload(t, MemorySegment.ofArray(new float[96])));
            assertTrue(e.getMessage().contains("needs 388"), e.getMessage());
        }
    }

    @Test
    void deferredIndexChecksReportAtTheNextSynchronisationAndWriteNothing() {
        try (CudaBackend gpu = new CudaBackend(CudaBackend.Options.defaults().withEagerIndexChecks(false));
             TensorScope scope = gpu.newScope()) {
            float[] table0 = TestTensors.uniform(new SplittableRandom(5), 11 * 4, 1);
            Tensor table = TestTensors.tensor(gpu, scope, DType.F32, table0, 11, 4);
            Tensor out = scope.zeros(DType.F32, 5, 4);
            Tensor ids = TestTensors.tensor(gpu, scope, DType.I32, new float[] {0, 3, 10, 11, 12}, 5).named("tokens");
            assertDoesNotThrow(() -> gpu.embeddingBackward(table, out, ids), "deferred: the call itself queues and returns");
            var e = assertThrows(IllegalArgumentException.class, gpu::synchronize);
            assertTrue(e.getMessage().contains("position 3") && e.getMessage().contains("token id 11") && e.getMessage().contains("tokens")
                    && e.getMessage().contains("deferred"), e.getMessage());
            assertArrayEquals(table0, gpu.toFloats(table), "a rejected backward leaves the table untouched");
            assertDoesNotThrow(gpu::synchronize, "a reported failure is reported once");
        }
    }

    @Test
    void headDimensionsBeyondTheKernelsAreRejected() {
        try (CudaBackend gpu = new CudaBackend(); TensorScope scope = gpu.newScope()) {
            Tensor q = scope.zeros(DType.F32, 1, 2, 1, 300).named("q300");
            Tensor out = scope.zeros(DType.F32, 1, 2, 1, 300);
            var e = assertThrows(IllegalArgumentException.class, () -> gpu.attentionForward(out, null, q, q, q, 0, 1f));
            assertTrue(e.getMessage().contains("q300") && e.getMessage().contains("up to 256"), e.getMessage());
        }
    }

    /**
     * A product large enough for cuBLAS's tensor-core paths: f32 operands must stay f32 (TF32's 10-bit
     * mantissa would err by ~5e-4 of Σ|a·b| per term and fail), and bf16 operands, exact in f32 products,
     * accumulate in f32. Tolerance: 1e-6 of Σ_k |a·b| (f32 accumulation over 2049 terms stays near 1e-7).
     */
    @Test
    void largeProductsKeepFp32Accuracy() {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        int m = 130, n = 257, k = 2049;
        float[] a = TestTensors.uniform(rnd, m * k, 1);
        float[] b = TestTensors.uniform(rnd, n * k, 1);
        try (CudaBackend gpu = new CudaBackend(); TensorScope scope = gpu.newScope()) {
            for (DType dtype : new DType[] {DType.F32, DType.BF16}) {
                float[] as = dtype == DType.BF16 ? TestTensors.roundToBf16(a) : a;
                float[] bs = dtype == DType.BF16 ? TestTensors.roundToBf16(b) : b;
                Tensor at = TestTensors.tensor(gpu, scope, dtype, as, m, k);
                Tensor bt = TestTensors.tensor(gpu, scope, dtype, bs, n, k);
                Tensor c = scope.allocate(DType.F32, m, n);
                gpu.matmul(c, at, false, bt, true, 1f, 0f);
                float[] got = gpu.toFloats(c);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        // float64 reference of c[i, j] = Σ a[i, :]·b[j, :] and the magnitude Σ|a·b| its rounding scales with.
                        double sum = 0;
                        double magnitude = 0;
                        for (int kk = 0; kk < k; kk++) {
                            double p = (double) as[i * k + kk] * bs[j * k + kk];
                            sum += p;
                            magnitude += Math.abs(p);
                        }
                        double err = Math.abs(got[i * n + j] - sum);
                        if (!(err <= 1e-6 * magnitude)) {
                            throw new AssertionError(dtype + " " + m + "x" + n + "x" + k + " product: c[" + i + ", " + j + "] is " + got[i * n + j]
                                    + ", expected " + sum + " (|err| " + err + " > 1e-6 · " + magnitude + "); seed " + seed);
                        }
                    }
                }
            }
        }
    }

    /**
     * F32 activations against BF16 weights: exact by default (the weight widened, as on the CPU), and with
     * bf16 autocast the activation rounded to bf16 first. Each is held to 1e-6 of Σ|a·b| against its own
     * float64 reference, and the two must differ, or autocast did not happen.
     */
    @Test
    void bf16AutocastRoundsTheF32OperandOnlyWhenAsked() {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        int m = 33, n = 97, k = 130;
        float[] x = TestTensors.uniform(rnd, m * k, 1);
        float[] w = TestTensors.roundToBf16(TestTensors.uniform(rnd, n * k, 1));
        double[] exact = product(x, w, m, n, k);
        double[] autocast = product(TestTensors.roundToBf16(x), w, m, n, k);
        double[] magnitude = product(abs(x), abs(w), m, n, k);
        for (boolean on : new boolean[] {false, true}) {
            try (CudaBackend gpu = new CudaBackend(CudaBackend.Options.defaults().withBf16Autocast(on)); TensorScope scope = gpu.newScope()) {
                Tensor xt = TestTensors.tensor(gpu, scope, DType.F32, x, m, k);
                Tensor wt = TestTensors.tensor(gpu, scope, DType.BF16, w, n, k);
                Tensor y = scope.allocate(DType.F32, m, n);
                gpu.linear(y, xt, wt);
                float[] got = gpu.toFloats(y);
                double[] want = on ? autocast : exact;
                double apart = 0;
                for (int i = 0; i < got.length; i++) {
                    double err = Math.abs(got[i] - want[i]);
                    if (!(err <= 1e-6 * magnitude[i])) {
                        throw new AssertionError("autocast=" + on + ": y[" + i + "] is " + got[i] + ", expected " + want[i] + "; seed " + seed);
                    }
                    apart = Math.max(apart, Math.abs(exact[i] - autocast[i]) / magnitude[i]);
                }
                assertTrue(apart > 1e-4, "the bf16 rounding of x must show (" + apart + "); seed " + seed);
            }
        }
    }

    /** float64 a[m, k] · b[n, k]ᵀ. */
    private static double[] product(float[] a, float[] b, int m, int n, int k) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int kk = 0; kk < k; kk++) {
                    s += (double) a[i * k + kk] * b[j * k + kk];
                }
                c[i * n + j] = s;
            }
        }
        return c;
    }

    private static float[] abs(float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Math.abs(x[i]);
        }
        return y;
    }

    /**
     * TF32, when allowed, rounds f32 operands to a 10-bit mantissa: the product stays within 2^-10 of Σ|a·b|
     * but is measurably less exact than f32 (worse than 1e-6 of Σ|a·b| somewhere), which shows the option reached cuBLAS.
     */
    @Test
    void tf32IsUsedOnlyWhenAllowed() {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        int m = 64, n = 96, k = 1024;
        float[] a = TestTensors.uniform(rnd, m * k, 1);
        float[] b = TestTensors.uniform(rnd, n * k, 1);
        double[] want = product(a, b, m, n, k);
        double[] magnitude = product(abs(a), abs(b), m, n, k);
        try (CudaBackend gpu = new CudaBackend(CudaBackend.Options.defaults().withTf32(true)); TensorScope scope = gpu.newScope()) {
            Tensor y = scope.allocate(DType.F32, m, n);
            gpu.linear(y, TestTensors.tensor(gpu, scope, DType.F32, a, m, k), TestTensors.tensor(gpu, scope, DType.F32, b, n, k));
            float[] got = gpu.toFloats(y);
            double worst = 0;
            for (int i = 0; i < got.length; i++) {
                worst = Math.max(worst, Math.abs(got[i] - want[i]) / magnitude[i]);
            }
            assertTrue(worst <= 1.0 / 1024 && worst > 1e-6, "TF32 relative error " + worst + "; seed " + seed);
        }
    }
}
