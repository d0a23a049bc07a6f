package org.emma4j.kernels.cpu;

import static org.emma4j.kernels.TestTensors.assertClose;
import static org.emma4j.kernels.TestTensors.freshSeed;
import static org.emma4j.kernels.TestTensors.gaussian;
import static org.emma4j.kernels.TestTensors.roundToBf16;
import static org.emma4j.kernels.TestTensors.tensor;
import static org.emma4j.kernels.TestTensors.toDouble;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.emma4j.kernels.Backend;
import org.emma4j.kernels.BackendsUnderTest;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.RopeFrequencies;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorScope;
import org.emma4j.kernels.reference.RopeReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RoPE forward and backward against the float64 {@link RopeReference} on every backend, on awkward shapes
 * (half head dims 1, 3, 33, 65 — none a multiple of the vector width — and positions past the start).
 * Tolerances: float32 |err| ≤ 1e-6 + 1e-6·|ref| (one rotation costs a few float32 roundings of O(1)
 * values, ~3e-7); BF16 1e-2 relative and absolute (the result is rounded to 8 significant bits).
 */
class RopeTest {
    private static final int MAX_POSITIONS = 1200;
    private static final int[] HEAD_DIMS = {2, 6, 66, 130};
    private static List<Backend> backends;

    @BeforeAll
    static void open() {
        backends = BackendsUnderTest.create();
    }

    @AfterAll
    static void close() {
        backends.forEach(Backend::close);
    }

    /** Plain RoPE for the small head dims, Llama 3.1 scaling (small original context, all bands hit) for the others. */
    private static float[] table(int headDim) {
        RopeFrequencies.Llama3Scaling scaling = headDim > 8 ? new RopeFrequencies.Llama3Scaling(8, 1, 4, 64) : null;
        return new RopeFrequencies(headDim > 8 ? 500000 : 10000, headDim, scaling).cosSinTable(MAX_POSITIONS);
    }

    private static Tensor tableTensor(Backend backend, TensorScope scope, float[] table, int headDim) {
        return tensor(backend, scope, DType.F32, table, 2, MAX_POSITIONS, headDim / 2).named("cosSin");
    }

    @Test
    void forwardMatchesReference() {
        for (Backend backend : backends) {
            for (int d : HEAD_DIMS) {
                float[] table = table(d);
                try (TensorScope scope = backend.newScope()) {
                    Tensor cosSin = tableTensor(backend, scope, table, d);
                    for (DType dtype : new DType[]{DType.F32, DType.BF16}) {
                        double tol = dtype == DType.F32 ? 1e-6 : 1e-2;
                        for (int batch = 1; batch <= 2; batch++) {
                            for (int steps : new int[]{1, 7, 33, 129}) {
                                for (int heads : new int[]{1, 3}) {
                                    for (int pos0 : new int[]{0, 1000}) {
                                        long seed = freshSeed();
                                        float[] x = gaussian(new SplittableRandom(seed), batch * steps * heads * d, 1.0);
                                        if (dtype == DType.BF16) {
                                            x = roundToBf16(x);
                                        }
                                        double[] want = RopeReference.rotate(toDouble(x), batch, steps, heads, d, table, MAX_POSITIONS, pos0, false);
                                        Tensor xt = tensor(backend, scope, dtype, x, batch, steps, heads, d);
                                        backend.ropeForward(xt, cosSin, pos0);
                                        assertClose(backend.name() + " rope " + dtype + " [" + batch + ", " + steps + ", " + heads + ", " + d
                                                + "] pos0 " + pos0, seed, want, backend.toFloats(xt), tol, tol);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void backwardUndoesForward() {
        for (Backend backend : backends) {
            for (int d : HEAD_DIMS) {
                float[] table = table(d);
                try (TensorScope scope = backend.newScope()) {
                    Tensor cosSin = tableTensor(backend, scope, table, d);
                    long seed = freshSeed();
                    float[] x = gaussian(new SplittableRandom(seed), 2 * 33 * 3 * d, 1.0);
                    Tensor xt = tensor(backend, scope, DType.F32, x, 2, 33, 3, d);
                    backend.ropeForward(xt, cosSin, 700);
                    backend.ropeBackward(xt, cosSin, 700);
                    // Two rotations of O(1) values: a few float32 roundings.
                    assertClose(backend.name() + " rope forward then backward, head dim " + d, seed, toDouble(x), backend.toFloats(xt), 2e-6, 2e-6);
                }
            }
        }
    }

    @Test
    void backwardMatchesAnalyticGradientAndFiniteDifferences() {
        int[][] shapes = {{2, 7, 3, 6, 5}, {1, 33, 1, 66, 1000}, {1, 9, 2, 130, 3}};
        for (Backend backend : backends) {
            for (int[] s : shapes) {
                int batch = s[0], steps = s[1], heads = s[2], d = s[3], pos0 = s[4];
                float[] table = table(d);
                long seed = freshSeed();
                SplittableRandom rnd = new SplittableRandom(seed);
                int n = batch * steps * heads * d;
                double[] x = toDouble(gaussian(rnd, n, 1.0));
                float[] w = gaussian(rnd, n, 1.0);
                // Loss Σ w ∘ rope(x) is linear in x, so central differences are exact up to rounding.
                double[] fd = new double[n];
                double h = 1e-3;
                for (int i = 0; i < n; i++) {
                    double saved = x[i];
                    x[i] = saved + h;
                    double up = dot(w, RopeReference.rotate(x, batch, steps, heads, d, table, MAX_POSITIONS, pos0, false));
                    x[i] = saved - h;
                    double down = dot(w, RopeReference.rotate(x, batch, steps, heads, d, table, MAX_POSITIONS, pos0, false));
                    x[i] = saved;
                    fd[i] = (up - down) / (2 * h);
                }
                double[] analytic = RopeReference.rotate(toDouble(w), batch, steps, heads, d, table, MAX_POSITIONS, pos0, true);
                String what = backend.name() + " rope backward [" + batch + ", " + steps + ", " + heads + ", " + d + "] pos0 " + pos0;
                // (assertClose rounds the double "actual" to float32, hence 1e-6 rather than float64 precision.)
                assertClose(what + ": float64 reference vs finite differences", seed, fd, analytic, 1e-6, 1e-7);
                try (TensorScope scope = backend.newScope()) {
                    Tensor cosSin = tableTensor(backend, scope, table, d);
                    Tensor dx = tensor(backend, scope, DType.F32, w, batch, steps, heads, d);
                    backend.ropeBackward(dx, cosSin, pos0);
                    float[] got = backend.toFloats(dx);
                    assertClose(what + ": kernel vs analytic", seed, analytic, got, 1e-6, 1e-6);
                    assertClose(what + ": kernel vs finite differences", seed, fd, got, 1e-6, 1e-6);
                }
                {
                    // BF16 gradient: rounded inputs, rounded output.
                    float[] wb = roundToBf16(w);
                    double[] want = RopeReference.rotate(toDouble(wb), batch, steps, heads, d, table, MAX_POSITIONS, pos0, true);
                    try (TensorScope scope = backend.newScope()) {
                        Tensor cosSin = tableTensor(backend, scope, table, d);
                        Tensor dx = tensor(backend, scope, DType.BF16, wb, batch, steps, heads, d);
                        backend.ropeBackward(dx, cosSin, pos0);
                        assertClose(what + ": bf16 kernel vs analytic", seed, want, backend.toFloats(dx), 1e-2, 1e-2);
                    }
                }
            }
        }
    }

    @Test
    void badArgumentsAreRejectedWithClearMessages() {
        for (Backend backend : backends) {
            try (TensorScope scope = backend.newScope()) {
                Tensor cosSin = tableTensor(backend, scope, table(6), 6);
                Tensor x = scope.zeros(DType.F32, 1, 7, 2, 6).named("x");
                IllegalArgumentException past = assertThrows(IllegalArgumentException.class, () -> backend.ropeForward(x, cosSin, MAX_POSITIONS - 6));
                assertTrue(past.getMessage().contains("at least pos0 + T = " + (MAX_POSITIONS + 1)) && past.getMessage().contains("holds " + MAX_POSITIONS),
                        past.getMessage());
                IllegalArgumentException pastBack = assertThrows(IllegalArgumentException.class, () -> backend.ropeBackward(x, cosSin, MAX_POSITIONS));
                assertTrue(pastBack.getMessage().startsWith("ropeBackward"), pastBack.getMessage());
                Tensor wide = scope.zeros(DType.F32, 1, 7, 2, 8).named("x8");
                IllegalArgumentException dim = assertThrows(IllegalArgumentException.class, () -> backend.ropeForward(wide, cosSin, 0));
                assertTrue(dim.getMessage().contains("cosSin") && dim.getMessage().contains("[2, " + MAX_POSITIONS + ", 4]"), dim.getMessage());
                Tensor odd = scope.zeros(DType.F32, 1, 7, 2, 5).named("x5");
                IllegalArgumentException oddDim = assertThrows(IllegalArgumentException.class, () -> backend.ropeForward(odd, cosSin, 0));
                assertTrue(oddDim.getMessage().contains("even"), oddDim.getMessage());
                Tensor flat = scope.zeros(DType.F32, 7, 12).named("flat");
                IllegalArgumentException rank = assertThrows(IllegalArgumentException.class, () -> backend.ropeForward(flat, cosSin, 0));
                assertTrue(rank.getMessage().contains("rank 4"), rank.getMessage());
            }
        }
    }

    private static double dot(float[] w, double[] y) {
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            s += w[i] * y[i];
        }
        return s;
    }
}
