package org.emma4j.kernels.cpu;

import static org.emma4j.kernels.TestTensors.assertClose;
import static org.emma4j.kernels.TestTensors.freshSeed;
import static org.emma4j.kernels.TestTensors.gaussian;
import static org.emma4j.kernels.TestTensors.roundToBf16;
import static org.emma4j.kernels.TestTensors.tensor;
import static org.emma4j.kernels.TestTensors.toDouble;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.emma4j.kernels.Backend;
import org.emma4j.kernels.BackendsUnderTest;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorScope;
import org.emma4j.kernels.reference.AttentionReference;
import org.emma4j.kernels.reference.AttentionReference.Dims;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Causal grouped-query attention, forward and backward, against the float64 {@link AttentionReference} on
 * every backend. Shapes are awkward on purpose (head dims 1, 7, 33, 130 besides 64; sequence lengths that
 * end mid-block) and reach every path of the CPU forward: calls with few rows per KV head (Tq·group < 16,
 * decoding) split the keys into chunks whose partial softmaxes are merged; tiles of 16 rows or more use the
 * transposed-key product; the short last tile of a sequence takes direct dot products.
 *
 * <p>Tolerances, float32: out |err| ≤ 1e-5 + 1e-5·|ref| and lse the same (f32 accumulation over at most
 * 130-long dot products and 129-long softmax sums stays near 1e-6). Gradients: |err| ≤ 1e-4·|ref| +
 * 2e-5·max|ref| — relative to the gradient's scale because dS = P ∘ (dP − Dᵢ) subtracts nearly equal
 * numbers, which makes small entries absolute-error dominated. BF16 operands: 1e-2 relative plus
 * 1e-2·scale absolute (bf16 keeps 8 significant bits, 2⁻⁹ ≈ 2e-3 per rounding).
 */
class AttentionTest {
    private static List<Backend> backends;

    @BeforeAll
    static void open() {
        backends = BackendsUnderTest.create();
    }

    @AfterAll
    static void close() {
        backends.forEach(Backend::close);
    }

    private static final double F32_RTOL = 1e-5;
    private static final double F32_ATOL = 1e-5;
    private static final double GRAD_RTOL = 1e-4;
    private static final double GRAD_ATOL_OF_MAX = 2e-5;
    private static final double BF16_TOL = 1e-2;

    // ------------------------------------------------------------------------------------------ forward

    @Test
    void forwardMatchesReferenceOnAwkwardShapes() {
        int[][] heads = {{3, 1}, {4, 2}, {1, 1}};
        int[] steps = {1, 7, 33, 129};
        int[] dims = {1, 7, 33, 64, 130};
        for (Backend backend : backends) {
            for (int[] h : heads) {
                for (int t : steps) {
                    for (int d : dims) {
                        // Batch 2 on alternate shapes keeps the class fast while covering both.
                        int batch = (t + d + h[0]) % 2 == 0 ? 2 : 1;
                        checkForward(backend, new Dims(batch, t, t, h[0], h[1], d, 0), DType.F32, 1.0, true, F32_RTOL, F32_ATOL);
                    }
                }
            }
        }
    }

    @Test
    void kvCacheDecodingNeverReadsPastTheLastQuery() {
        // Unused cache rows hold NaN: one read of them would turn the output NaN.
        Dims[] cases = {
                new Dims(1, 1, 40, 4, 2, 33, 17),
                new Dims(2, 1, 300, 4, 2, 64, 250),
                new Dims(2, 5, 50, 3, 1, 64, 20),
                new Dims(1, 5, 150, 8, 2, 64, 100),
                new Dims(2, 5, 150, 1, 1, 7, 130),
                new Dims(1, 1, 9, 2, 2, 130, 0),
                new Dims(1, 1, 1000, 2, 1, 33, 900), // one sequence, one KV head: many key chunks to merge
        };
        for (Backend backend : backends) {
            for (Dims d : cases) {
                checkForward(backend, d, DType.F32, 1.0, true, F32_RTOL, F32_ATOL);
                checkForward(backend, d, DType.F32, 1.0, false, F32_RTOL, F32_ATOL);
            }
        }
    }

    @Test
    void incrementalDecodingEqualsFullSequenceRowByRow() {
        int batch = 2, steps = 70, hq = 4, hkv = 2, d = 33, capacity = 80;
        int[] chunks = {9, 1, 1, 5, 1, 20, 1, 1, 31};
        for (Backend backend : backends) {
            long seed = freshSeed();
            SplittableRandom rnd = new SplittableRandom(seed);
            Dims full = new Dims(batch, steps, steps, hq, hkv, d, 0);
            float[] q = gaussian(rnd, full.querySize(), 1.0);
            float[] k = gaussian(rnd, full.keySize(), 1.0);
            float[] v = gaussian(rnd, full.keySize(), 1.0);
            float scale = (float) (1 / Math.sqrt(d));
            try (TensorScope scope = backend.newScope()) {
                Tensor qt = tensor(backend, scope, DType.F32, q, batch, steps, hq, d);
                Tensor kt = tensor(backend, scope, DType.F32, k, batch, steps, hkv, d);
                Tensor vt = tensor(backend, scope, DType.F32, v, batch, steps, hkv, d);
                Tensor out = scope.allocate(DType.F32, batch, steps, hq, d);
                Tensor lse = scope.allocate(DType.F32, batch, hq, steps);
                backend.attentionForward(out, lse, qt, kt, vt, 0, scale);
                float[] fullOut = backend.toFloats(out);
                float[] fullLse = backend.toFloats(lse);

                float[] kCache = nans(batch * capacity * hkv * d);
                float[] vCache = nans(batch * capacity * hkv * d);
                Tensor kc = scope.allocate(DType.F32, batch, capacity, hkv, d);
                Tensor vc = scope.allocate(DType.F32, batch, capacity, hkv, d);
                int pos = 0;
                for (int chunk : chunks) {
                    // Append this chunk's keys and values to the cache, as a decoder would.
                    for (int b = 0; b < batch; b++) {
                        for (int t = pos; t < pos + chunk; t++) {
                            System.arraycopy(k, ((b * steps + t) * hkv) * d, kCache, ((b * capacity + t) * hkv) * d, hkv * d);
                            System.arraycopy(v, ((b * steps + t) * hkv) * d, vCache, ((b * capacity + t) * hkv) * d, hkv * d);
                        }
                    }
                    backend.fromFloats(kc, kCache);
                    backend.fromFloats(vc, vCache);
                    float[] qChunk = new float[batch * chunk * hq * d];
                    for (int b = 0; b < batch; b++) {
                        System.arraycopy(q, ((b * steps + pos) * hq) * d, qChunk, b * chunk * hq * d, chunk * hq * d);
                    }
                    Tensor qc = tensor(backend, scope, DType.F32, qChunk, batch, chunk, hq, d);
                    Tensor oc = scope.allocate(DType.F32, batch, chunk, hq, d);
                    Tensor lc = scope.allocate(DType.F32, batch, hq, chunk);
                    backend.attentionForward(oc, lc, qc, kc, vc, pos, scale);
                    float[] got = backend.toFloats(oc);
                    float[] gotLse = backend.toFloats(lc);
                    double[] wantOut = new double[got.length];
                    double[] wantLse = new double[gotLse.length];
                    for (int b = 0; b < batch; b++) {
                        for (int t = 0; t < chunk; t++) {
                            for (int i = 0; i < hq * d; i++) {
                                wantOut[(b * chunk + t) * hq * d + i] = fullOut[((b * steps + pos + t) * hq) * d + i];
                            }
                            for (int h = 0; h < hq; h++) {
                                wantLse[(b * hq + h) * chunk + t] = fullLse[(b * hq + h) * steps + pos + t];
                            }
                        }
                    }
                    String what = backend.name() + " decode chunk of " + chunk + " at position " + pos;
                    assertClose(what + " out", seed, wantOut, got, F32_RTOL, F32_ATOL);
                    assertClose(what + " lse", seed, wantLse, gotLse, F32_RTOL, F32_ATOL);
                    pos += chunk;
                }
                assertTrue(pos == steps, "the chunks must cover the sequence");
            }
        }
    }

    @Test
    void largeScoresStayFinite() {
        // Scores of several hundred: exp would overflow float32 without the running max.
        Dims d = new Dims(1, 129, 129, 4, 2, 33, 0);
        for (Backend backend : backends) {
            // |score| ~ 1e2..1e3 carries f32 rounding of ~1e-4 absolute into the exponent.
            checkForward(backend, d, DType.F32, 12.0, true, 1e-3, 1e-3);
            checkBackward(backend, d, DType.F32, DType.F32, 12.0, 1e-3, 1e-3, false);
        }
    }

    @Test
    void bf16OperandsMatchReference() {
        Dims[] cases = {
                new Dims(1, 33, 33, 4, 2, 64, 0),
                new Dims(2, 7, 7, 3, 1, 33, 0),
                new Dims(1, 70, 70, 1, 1, 130, 0),
                new Dims(1, 5, 50, 4, 2, 64, 20),
        };
        for (Backend backend : backends) {
            for (Dims d : cases) {
                checkForward(backend, d, DType.BF16, 1.0, true, BF16_TOL, BF16_TOL);
                checkBackward(backend, d, DType.BF16, DType.BF16, 1.0, BF16_TOL, BF16_TOL, false);
                checkBackward(backend, d, DType.BF16, DType.F32, 1.0, BF16_TOL, BF16_TOL, false);
            }
        }
    }

    /** Runs forward on random inputs and compares out (and lse) with the float64 reference. */
    private static void checkForward(Backend backend, Dims d, DType dtype, double std, boolean withLse, double rtol, double atol) {
        long seed = freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        Inputs in = Inputs.random(rnd, d, dtype, std);
        double scale = 1 / Math.sqrt(d.headDim());
        AttentionReference.Forward want = AttentionReference.forward(d, toDouble(in.q), toDouble(in.k), toDouble(in.v), scale);
        try (TensorScope scope = backend.newScope()) {
            Operands ops = Operands.upload(backend, scope, d, dtype, in);
            // Outputs start as NaN, so an element the kernel forgets to write fails the comparison.
            Tensor out = tensor(backend, scope, dtype, nans(d.querySize()), d.batch(), d.tq(), d.hq(), d.headDim());
            Tensor lse = withLse ? tensor(backend, scope, DType.F32, nans(d.lseSize()), d.batch(), d.hq(), d.tq()) : null;
            backend.attentionForward(out, lse, ops.q, ops.k, ops.v, d.qPos0(), (float) scale);
            String what = backend.name() + " forward " + dtype + " " + d;
            assertClose(what + " out", seed, want.out(), backend.toFloats(out), rtol, atol);
            if (withLse) {
                assertClose(what + " lse", seed, want.lse(), backend.toFloats(lse), rtol, atol);
            }
        }
    }

    // ----------------------------------------------------------------------------------------- backward

    @Test
    void backwardMatchesAnalyticGradientAndFiniteDifferences() {
        Dims[] cases = {
                new Dims(1, 7, 7, 3, 1, 7, 0),
                new Dims(2, 33, 33, 4, 2, 33, 0),
                new Dims(1, 129, 129, 1, 1, 64, 0),
                new Dims(1, 70, 70, 4, 2, 130, 0),
                new Dims(2, 1, 1, 3, 1, 1, 0),
                new Dims(1, 5, 20, 4, 2, 7, 12),
                new Dims(2, 9, 140, 2, 1, 33, 100),
        };
        for (Backend backend : backends) {
            for (Dims d : cases) {
                checkBackward(backend, d, DType.F32, DType.F32, 1.0, GRAD_RTOL, GRAD_ATOL_OF_MAX, true);
            }
        }
    }

    @Test
    void backwardAccumulatesIntoExistingGradients() {
        // checkBackward already starts from random non-zero gradients; here two calls must add twice.
        Dims d = new Dims(1, 33, 33, 4, 2, 16, 0);
        for (Backend backend : backends) {
            long seed = freshSeed();
            SplittableRandom rnd = new SplittableRandom(seed);
            Inputs in = Inputs.random(rnd, d, DType.F32, 1.0);
            float[] dout = gaussian(rnd, d.querySize(), 1.0);
            float[] dq0 = gaussian(rnd, d.querySize(), 1.0);
            float[] dk0 = gaussian(rnd, d.keySize(), 1.0);
            float[] dv0 = gaussian(rnd, d.keySize(), 1.0);
            double scale = 1 / Math.sqrt(d.headDim());
            AttentionReference.Gradients want = AttentionReference.backward(d, toDouble(dout), toDouble(in.q), toDouble(in.k), toDouble(in.v), scale);
            try (TensorScope scope = backend.newScope()) {
                Operands ops = Operands.upload(backend, scope, d, DType.F32, in);
                Tensor out = scope.allocate(DType.F32, d.batch(), d.tq(), d.hq(), d.headDim());
                Tensor lse = scope.allocate(DType.F32, d.batch(), d.hq(), d.tq());
                backend.attentionForward(out, lse, ops.q, ops.k, ops.v, 0, (float) scale);
                Tensor gOut = tensor(backend, scope, DType.F32, dout, d.batch(), d.tq(), d.hq(), d.headDim());
                Tensor dq = tensor(backend, scope, DType.F32, dq0, d.batch(), d.tq(), d.hq(), d.headDim());
                Tensor dk = tensor(backend, scope, DType.F32, dk0, d.batch(), d.tk(), d.hkv(), d.headDim());
                Tensor dv = tensor(backend, scope, DType.F32, dv0, d.batch(), d.tk(), d.hkv(), d.headDim());
                for (int call = 0; call < 2; call++) {
                    backend.attentionBackward(dq, dk, dv, gOut, out, lse, ops.q, ops.k, ops.v, 0, (float) scale);
                }
                String what = backend.name() + " twice-accumulated ";
                assertGradient(what + "dq", seed, dq0, want.dq(), 2, backend.toFloats(dq), GRAD_RTOL, GRAD_ATOL_OF_MAX);
                assertGradient(what + "dk", seed, dk0, want.dk(), 2, backend.toFloats(dk), GRAD_RTOL, GRAD_ATOL_OF_MAX);
                assertGradient(what + "dv", seed, dv0, want.dv(), 2, backend.toFloats(dv), GRAD_RTOL, GRAD_ATOL_OF_MAX);
            }
        }
    }

    /**
     * Forward then backward from random non-zero gradients; the increments must match the float64
     * analytic gradient of Σ dout ∘ out, and (when asked) central differences of that loss through the
     * float64 forward at sampled elements. Gradient rows of unused cache positions must stay untouched.
     */
    private static void checkBackward(Backend backend, Dims d, DType inType, DType gradType, double std,
                                      double rtol, double atolOfMax, boolean finiteDifferences) {
        long seed = freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        Inputs in = Inputs.random(rnd, d, inType, std);
        float[] dout = round(gaussian(rnd, d.querySize(), 1.0), inType);
        float[] dq0 = round(gaussian(rnd, d.querySize(), 1.0), gradType);
        float[] dk0 = round(gaussian(rnd, d.keySize(), 1.0), gradType);
        float[] dv0 = round(gaussian(rnd, d.keySize(), 1.0), gradType);
        double scale = 1 / Math.sqrt(d.headDim());
        double[] q = toDouble(in.q), k = toDouble(in.k), v = toDouble(in.v), w = toDouble(dout);
        AttentionReference.Gradients want = AttentionReference.backward(d, w, q, k, v, scale);
        float[] gotDq, gotDk, gotDv;
        try (TensorScope scope = backend.newScope()) {
            Operands ops = Operands.upload(backend, scope, d, inType, in);
            Tensor out = scope.allocate(inType, d.batch(), d.tq(), d.hq(), d.headDim());
            Tensor lse = scope.allocate(DType.F32, d.batch(), d.hq(), d.tq());
            backend.attentionForward(out, lse, ops.q, ops.k, ops.v, d.qPos0(), (float) scale);
            Tensor gOut = tensor(backend, scope, inType, dout, d.batch(), d.tq(), d.hq(), d.headDim());
            Tensor dq = tensor(backend, scope, gradType, dq0, d.batch(), d.tq(), d.hq(), d.headDim());
            Tensor dk = tensor(backend, scope, gradType, dk0, d.batch(), d.tk(), d.hkv(), d.headDim());
            Tensor dv = tensor(backend, scope, gradType, dv0, d.batch(), d.tk(), d.hkv(), d.headDim());
            backend.attentionBackward(dq, dk, dv, gOut, out, lse, ops.q, ops.k, ops.v, d.qPos0(), (float) scale);
            gotDq = backend.toFloats(dq);
            gotDk = backend.toFloats(dk);
            gotDv = backend.toFloats(dv);
        }
        String what = backend.name() + " backward " + inType + "→" + gradType + " " + d + " ";
        assertGradient(what + "dq", seed, dq0, want.dq(), 1, gotDq, rtol, atolOfMax);
        assertGradient(what + "dk", seed, dk0, want.dk(), 1, gotDk, rtol, atolOfMax);
        assertGradient(what + "dv", seed, dv0, want.dv(), 1, gotDv, rtol, atolOfMax);
        if (finiteDifferences) {
            checkFiniteDifferences(what, seed, rnd, d, q, k, v, w, scale, want, dq0, gotDq, dk0, gotDk, dv0, gotDv, rtol, atolOfMax);
        }
    }

    /** Central differences of Σ w ∘ out(q, k, v) through the float64 forward, at a sample of elements. */
    private static void checkFiniteDifferences(String what, long seed, SplittableRandom rnd, Dims d, double[] q, double[] k, double[] v,
                                               double[] w, double scale, AttentionReference.Gradients analytic,
                                               float[] dq0, float[] gotDq, float[] dk0, float[] gotDk, float[] dv0, float[] gotDv,
                                               double rtol, double atolOfMax) {
        double[][] inputs = {q, k, v};
        double[][] analyticGrads = {analytic.dq(), analytic.dk(), analytic.dv()};
        float[][] start = {dq0, dk0, dv0};
        float[][] got = {gotDq, gotDk, gotDv};
        String[] names = {"dq", "dk", "dv"};
        double h = 1e-4;
        for (int which = 0; which < 3; which++) {
            double[] x = inputs[which];
            // Only key rows some query sees have a gradient (the rest of the tensor is an unfilled cache).
            int usable = which == 0 ? x.length : d.keyEnd() * d.hkv() * d.headDim();
            int samples = Math.min(24, usable);
            double[] fd = new double[samples];
            double[] kernel = new double[samples];
            double[] ref = new double[samples];
            for (int s = 0; s < samples; s++) {
                int i = sampleIndex(rnd, d, which, usable);
                double saved = x[i];
                x[i] = saved + h;
                double up = loss(d, q, k, v, w, scale);
                x[i] = saved - h;
                double down = loss(d, q, k, v, w, scale);
                x[i] = saved;
                fd[s] = (up - down) / (2 * h);
                kernel[s] = got[which][i] - (double) start[which][i];
                ref[s] = analyticGrads[which][i];
            }
            double max = maxAbs(analyticGrads[which]);
            // Float64 analytic against float64 differences: only the O(h²) truncation separates them.
            assertClose(what + names[which] + " float64 reference vs finite differences", seed, fd, ref, 1e-6, 1e-7 * Math.max(1, max));
            assertClose(what + names[which] + " kernel vs finite differences", seed, fd, kernel, rtol, atolOfMax * max);
        }
    }

    /** A random flat index of a q (which = 0) or k/v element among the first {@code usable} per batch. */
    private static int sampleIndex(SplittableRandom rnd, Dims d, int which, int usable) {
        if (which == 0) {
            return rnd.nextInt(usable);
        }
        int b = rnd.nextInt(d.batch());
        return b * d.tk() * d.hkv() * d.headDim() + rnd.nextInt(usable);
    }

    private static double loss(Dims d, double[] q, double[] k, double[] v, double[] w, double scale) {
        double[] out = AttentionReference.forward(d, q, k, v, scale).out();
        double sum = 0;
        for (int i = 0; i < out.length; i++) {
            sum += w[i] * out[i];
        }
        return sum;
    }

    /** Asserts got ≈ start + times · increment, with atol relative to the increment's largest entry. */
    private static void assertGradient(String what, long seed, float[] start, double[] increment, int times, float[] got,
                                       double rtol, double atolOfMax) {
        double[] want = new double[start.length];
        for (int i = 0; i < want.length; i++) {
            want[i] = start[i] + times * increment[i];
        }
        assertClose(what, seed, want, got, rtol, atolOfMax * Math.max(1e-3, times * maxAbs(increment)));
    }

    // ------------------------------------------------------------------------------------------- errors

    @Test
    void badShapesAreRejectedWithClearMessages() {
        for (Backend backend : backends) {
            try (TensorScope scope = backend.newScope()) {
                Tensor q3 = scope.zeros(DType.F32, 1, 4, 3, 8).named("q");
                Tensor kv2 = scope.zeros(DType.F32, 1, 4, 2, 8).named("k");
                Tensor out3 = scope.zeros(DType.F32, 1, 4, 3, 8);
                expectMessage(() -> backend.attentionForward(out3, null, q3, kv2, kv2, 0, 1f), "multiple of the key/value heads");

                Tensor q = scope.zeros(DType.F32, 1, 5, 2, 8).named("q");
                Tensor out = scope.zeros(DType.F32, 1, 5, 2, 8);
                Tensor k7 = scope.zeros(DType.F32, 1, 7, 1, 8).named("kcache");
                expectMessage(() -> backend.attentionForward(out, null, q, k7, k7, 3, 1f), "Tk >= qPos0 + Tq = 8");

                Tensor k16 = scope.zeros(DType.F32, 1, 5, 1, 16).named("k");
                expectMessage(() -> backend.attentionForward(out, null, q, k16, k16, 0, 1f), "head dimension");

                Tensor k5 = scope.zeros(DType.F32, 1, 5, 1, 8);
                Tensor v6 = scope.zeros(DType.F32, 1, 6, 1, 8).named("v");
                expectMessage(() -> backend.attentionForward(out, null, q, k5, v6, 0, 1f), "v (v)");

                Tensor badLse = scope.zeros(DType.F32, 1, 5, 2);
                expectMessage(() -> backend.attentionForward(out, badLse, q, k5, k5, 0, 1f), "lse");

                Tensor badOut = scope.zeros(DType.F32, 1, 5, 2, 7);
                expectMessage(() -> backend.attentionForward(badOut, null, q, k5, k5, 0, 1f), "out");

                Tensor lse = scope.zeros(DType.F32, 1, 2, 5);
                Tensor dq = scope.zeros(DType.F32, 1, 5, 2, 8);
                Tensor dk = scope.zeros(DType.F32, 1, 5, 1, 8);
                expectMessage(() -> backend.attentionBackward(dq, dk, dk, out, out, null, q, k5, k5, 0, 1f), "lse");
                Tensor dkWrong = scope.zeros(DType.F32, 1, 5, 2, 8).named("dk");
                expectMessage(() -> backend.attentionBackward(dq, dkWrong, dk, out, out, lse, q, k5, k5, 0, 1f), "dk (dk)");
                Tensor ids = scope.zeros(DType.I32, 1, 5, 2, 8).named("qi");
                expectMessage(() -> backend.attentionForward(out, null, ids, k5, k5, 0, 1f), "q (qi) must be [F32, BF16]");
            }
        }
    }

    private static void expectMessage(Runnable call, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        if (!e.getMessage().contains(fragment)) {
            fail("expected a message containing '" + fragment + "', got: " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** Random q, k, v as held by tensors of the dtype; k and v rows past the last query are NaN. */
    private record Inputs(float[] q, float[] k, float[] v) {
        static Inputs random(SplittableRandom rnd, Dims d, DType dtype, double std) {
            float[] q = round(gaussian(rnd, d.querySize(), std), dtype);
            float[] k = round(gaussian(rnd, d.keySize(), std), dtype);
            float[] v = round(gaussian(rnd, d.keySize(), 1.0), dtype);
            poisonUnusedCache(d, k);
            poisonUnusedCache(d, v);
            return new Inputs(q, k, v);
        }

        private static void poisonUnusedCache(Dims d, float[] x) {
            int row = d.hkv() * d.headDim();
            for (int b = 0; b < d.batch(); b++) {
                Arrays.fill(x, (b * d.tk() + d.keyEnd()) * row, (b + 1) * d.tk() * row, Float.NaN);
            }
        }
    }

    private record Operands(Tensor q, Tensor k, Tensor v) {
        static Operands upload(Backend backend, TensorScope scope, Dims d, DType dtype, Inputs in) {
            return new Operands(
                    tensor(backend, scope, dtype, in.q, d.batch(), d.tq(), d.hq(), d.headDim()).named("q"),
                    tensor(backend, scope, dtype, in.k, d.batch(), d.tk(), d.hkv(), d.headDim()).named("k"),
                    tensor(backend, scope, dtype, in.v, d.batch(), d.tk(), d.hkv(), d.headDim()).named("v"));
        }
    }

    private static float[] round(float[] x, DType dtype) {
        return dtype == DType.BF16 ? roundToBf16(x) : x;
    }

    private static float[] nans(int n) {
        float[] x = new float[n];
        Arrays.fill(x, Float.NaN);
        return x;
    }

    private static double maxAbs(double[] x) {
        double m = 0;
        for (double e : x) {
            m = Math.max(m, Math.abs(e));
        }
        return m;
    }
}
