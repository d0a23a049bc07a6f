package org.emma4j.kernels.cpu;

import static org.emma4j.kernels.DType.BF16;
import static org.emma4j.kernels.DType.F32;
import static org.emma4j.kernels.TestTensors.assertClose;
import static org.emma4j.kernels.cpu.KernelTestSupport.maxAbs;
import static org.emma4j.kernels.cpu.KernelTestSupport.plus;
import static org.emma4j.kernels.cpu.KernelTestSupport.rtol;
import static org.emma4j.kernels.cpu.KernelTestSupport.stored;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.emma4j.kernels.Backend;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorScope;
import org.emma4j.kernels.TestTensors;
import org.emma4j.kernels.reference.FiniteDifferences;
import org.emma4j.kernels.reference.RmsNormReference;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RmsNormTest {
    private static final float EPS = 1e-5f;
    /** The awkward sizes squared, plus one shape large enough that the pool splits the rows over threads. */
    private static final int[][] SHAPES = shapes();

    static Stream<Named<Backend>> backends() {
        return KernelTestSupport.backends();
    }

    private static int[][] shapes() {
        int[] a = TestTensors.AWKWARD;
        int[][] s = new int[a.length * a.length + 1][];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a.length; j++) {
                s[i * a.length + j] = new int[] {a[i], a[j]};
            }
        }
        s[s.length - 1] = new int[] {517, 130};
        return s;
    }

    /** dtypes of x, weight, y. */
    private static final DType[][] FORWARD_TYPES = {{F32, F32, F32}, {BF16, BF16, BF16}, {F32, BF16, BF16}, {BF16, F32, F32}};

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void forwardMatchesFloat64Reference(Backend backend) {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (DType[] types : FORWARD_TYPES) {
            for (int[] shape : SHAPES) {
                int rows = shape[0];
                int cols = shape[1];
                String what = "rmsNorm " + rows + "x" + cols + " x " + types[0] + " w " + types[1] + " y " + types[2];
                try (TensorScope scope = backend.newScope()) {
                    float[] x = TestTensors.gaussian(rnd, rows * cols, 1.5);
                    float[] w = shifted(TestTensors.uniform(rnd, cols, 0.5), 1);
                    Tensor xt = TestTensors.tensor(backend, scope, types[0], x, rows, cols);
                    Tensor wt = TestTensors.tensor(backend, scope, types[1], w, cols);
                    // Outputs start as garbage: forward must overwrite them.
                    Tensor yt = TestTensors.tensor(backend, scope, types[2], TestTensors.uniform(rnd, rows * cols, 9), rows, cols);
                    Tensor rstd = TestTensors.tensor(backend, scope, F32, TestTensors.uniform(rnd, rows, 9), rows);
                    backend.rmsNormForward(yt, rstd, xt, wt, EPS);

                    double[] rstdRef = new double[rows];
                    double[] yRef = RmsNormReference.forward(stored(x, types[0]), stored(w, types[1]), rows, cols, EPS, rstdRef);
                    // f32: a handful of roundings per element, 1e-5 relative; a bf16 y adds its 2^-9 rounding (1e-2).
                    double tol = rtol(types[2], 1e-5);
                    assertClose(what + " y", seed, yRef, backend.toFloats(yt), tol, 1e-7 * maxAbs(yRef));
                    assertClose(what + " rstd", seed, rstdRef, backend.toFloats(rstd), 1e-5, 0);

                    // Inference passes no rstd; y is the same.
                    Tensor y2 = scope.allocate(types[2], rows, cols);
                    backend.rmsNormForward(y2, null, xt, wt, EPS);
                    assertClose(what + " y without rstd", seed, yRef, backend.toFloats(y2), tol, 1e-7 * maxAbs(yRef));
                }
            }
        }
    }

    /** dtypes of x, weight, dy, dx, dweight. */
    private static final DType[][] BACKWARD_TYPES = {
            {F32, F32, F32, F32, F32}, {BF16, BF16, BF16, F32, F32}, {BF16, BF16, BF16, BF16, F32}, {F32, BF16, F32, BF16, BF16}};

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void backwardAccumulatesTheFloat64Gradient(Backend backend) {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (DType[] types : BACKWARD_TYPES) {
            for (int[] shape : SHAPES) {
                int rows = shape[0];
                int cols = shape[1];
                String what = "rmsNorm backward " + rows + "x" + cols + " x/w/dy/dx/dw "
                        + types[0] + "/" + types[1] + "/" + types[2] + "/" + types[3] + "/" + types[4];
                try (TensorScope scope = backend.newScope()) {
                    float[] x = TestTensors.gaussian(rnd, rows * cols, 1.5);
                    float[] w = shifted(TestTensors.uniform(rnd, cols, 0.5), 1);
                    float[] dy = TestTensors.gaussian(rnd, rows * cols, 1);
                    // Gradients start non-zero: backward must add into them.
                    float[] dx0 = TestTensors.gaussian(rnd, rows * cols, 1);
                    float[] dw0 = TestTensors.gaussian(rnd, cols, 1);
                    Tensor xt = TestTensors.tensor(backend, scope, types[0], x, rows, cols);
                    Tensor wt = TestTensors.tensor(backend, scope, types[1], w, cols);
                    Tensor dyt = TestTensors.tensor(backend, scope, types[2], dy, rows, cols);
                    Tensor dxt = TestTensors.tensor(backend, scope, types[3], dx0, rows, cols);
                    Tensor dwt = TestTensors.tensor(backend, scope, types[4], dw0, cols);
                    Tensor yt = scope.allocate(F32, rows, cols);
                    Tensor rstd = scope.allocate(F32, rows);
                    backend.rmsNormForward(yt, rstd, xt, wt, EPS);
                    backend.rmsNormBackward(dxt, dwt, dyt, xt, wt, rstd);

                    RmsNormReference.Grads ref = RmsNormReference.backward(
                            stored(x, types[0]), stored(w, types[1]), stored(dy, types[2]), rows, cols, EPS);
                    // f32: 1e-5 relative plus 1e-5 of the largest term. dx is the difference of two terms of size
                    // rstd·|w·dy| that cancel almost completely for narrow rows (C = 1 leaves eps/(x²+eps) of them),
                    // so its scale is that term, not dx; dweight sums rows. A bf16 gradient adds its rounding (1e-2).
                    double[] ws = stored(w, types[1]);
                    double[] dys = stored(dy, types[2]);
                    double[] rstdRef = new double[rows];
                    RmsNormReference.forward(stored(x, types[0]), ws, rows, cols, EPS, rstdRef);
                    double dxTermScale = 0;
                    for (int i = 0; i < rows * cols; i++) {
                        dxTermScale = Math.max(dxTermScale, rstdRef[i / cols] * Math.abs(ws[i % cols] * dys[i]));
                    }
                    double[] dxExpected = plus(stored(dx0, types[3]), ref.dx());
                    double[] dwExpected = plus(stored(dw0, types[4]), ref.dweight());
                    assertClose(what + " dx", seed, dxExpected, backend.toFloats(dxt), rtol(types[3], 1e-5),
                            rtol(types[3], 1e-5) * Math.max(maxAbs(ref.dx()), dxTermScale));
                    assertClose(what + " dweight", seed, dwExpected, backend.toFloats(dwt), rtol(types[4], 1e-5),
                            rtol(types[4], 1e-5) * maxAbs(ref.dweight()));
                }
            }
        }
    }

    @Test
    void referenceBackwardMatchesFiniteDifferences() {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int rows : new int[] {1, 7}) {
            for (int cols : TestTensors.AWKWARD) {
                double[] x = TestTensors.toDouble(TestTensors.gaussian(rnd, rows * cols, 1.5));
                double[] w = TestTensors.toDouble(shifted(TestTensors.uniform(rnd, cols, 0.5), 1));
                double[] dy = TestTensors.toDouble(TestTensors.gaussian(rnd, rows * cols, 1));
                RmsNormReference.Grads ref = RmsNormReference.backward(x, w, dy, rows, cols, EPS);
                int[] xi = FiniteDifferences.probeIndices(rnd, x.length, 48);
                int[] wi = FiniteDifferences.probeIndices(rnd, w.length, 48);
                // h = 1e-7: with one column, x/sqrt(x² + eps) bends on the scale sqrt(eps) ≈ 3e-3, where a step of 1e-5
                // would already cost 1e-5 of truncation error; at 1e-7 truncation is ~1e-9 and rounding (1e-16·|L|/h) ~1e-8.
                double h = 1e-7;
                double[] fdx = FiniteDifferences.gradient(
                        xx -> FiniteDifferences.dot(dy, RmsNormReference.forward(xx, w, rows, cols, EPS, null)), x, xi, h);
                double[] fdw = FiniteDifferences.gradient(
                        ww -> FiniteDifferences.dot(dy, RmsNormReference.forward(x, ww, rows, cols, EPS, null)), w, wi, h);
                // 1e-6 leaves room over those errors and still catches any wrong term.
                String what = "rmsNorm reference vs finite differences " + rows + "x" + cols;
                assertClose(what + " dx", seed, FiniteDifferences.pick(ref.dx(), xi), fdx, 1e-6, 1e-6);
                assertClose(what + " dweight", seed, FiniteDifferences.pick(ref.dweight(), wi), fdw, 1e-6, 1e-6);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void mismatchedShapesAndDtypesAreRejectedByName(Backend backend) {
        try (TensorScope scope = backend.newScope()) {
            Tensor x = scope.zeros(F32, 3, 8).named("x");
            Tensor y = scope.zeros(F32, 3, 8).named("y");
            Tensor w = scope.zeros(F32, 7).named("norm.weight");
            Tensor rstd = scope.zeros(F32, 3).named("rstd");
            var e = assertThrows(IllegalArgumentException.class, () -> backend.rmsNormForward(y, rstd, x, w, EPS));
            assertTrue(e.getMessage().contains("norm.weight") && e.getMessage().contains("[8]"), e.getMessage());
            Tensor badRstd = scope.zeros(BF16, 3).named("rstd16");
            Tensor w8 = scope.zeros(F32, 8);
            e = assertThrows(IllegalArgumentException.class, () -> backend.rmsNormForward(y, badRstd, x, w8, EPS));
            assertTrue(e.getMessage().contains("rstd16") && e.getMessage().contains("F32"), e.getMessage());
            Tensor dy = scope.zeros(F32, 4, 8).named("dy");
            e = assertThrows(IllegalArgumentException.class, () -> backend.rmsNormBackward(x, w8, dy, x, w8, rstd));
            assertTrue(e.getMessage().contains("rmsNormBackward") && e.getMessage().contains("dy"), e.getMessage());
        }
    }

    private static float[] shifted(float[] x, float by) {
        for (int i = 0; i < x.length; i++) {
            x[i] += by;
        }
        return x;
    }
}
