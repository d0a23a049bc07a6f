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
import org.emma4j.kernels.reference.SwigluReference;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SwigluTest {
    /** Row counts; each is tried with every awkward width, and 517x130 makes the pool split the work. */
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

    /** dtypes of gate, up, h (forward) and of gate, up, dh, dgate, dup (backward). */
    private static final DType[][] FORWARD_TYPES = {{F32, F32, F32}, {BF16, BF16, BF16}, {BF16, BF16, F32}};
    private static final DType[][] BACKWARD_TYPES = {{F32, F32, F32, F32, F32}, {BF16, BF16, BF16, F32, F32}, {BF16, BF16, BF16, BF16, BF16}};

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void forwardMatchesFloat64Reference(Backend backend) {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (DType[] types : FORWARD_TYPES) {
            for (int[] shape : SHAPES) {
                int n = shape[0] * shape[1];
                String what = "swiglu " + shape[0] + "x" + shape[1] + " gate/up/h " + types[0] + "/" + types[1] + "/" + types[2];
                try (TensorScope scope = backend.newScope()) {
                    float[] g = TestTensors.gaussian(rnd, n, 3);
                    float[] u = TestTensors.gaussian(rnd, n, 1);
                    Tensor gt = TestTensors.tensor(backend, scope, types[0], g, shape[0], shape[1]);
                    Tensor ut = TestTensors.tensor(backend, scope, types[1], u, shape[0], shape[1]);
                    Tensor ht = TestTensors.tensor(backend, scope, types[2], TestTensors.uniform(rnd, n, 9), shape[0], shape[1]);
                    backend.swigluForward(ht, gt, ut);
                    double[] ref = SwigluReference.forward(stored(g, types[0]), stored(u, types[1]));
                    // f32: exp to 1 ulp and a few roundings, 1e-5 relative; bf16 h: its rounding, 1e-2.
                    assertClose(what, seed, ref, backend.toFloats(ht), rtol(types[2], 1e-5), 1e-7 * maxAbs(ref));
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void backwardAccumulatesTheFloat64Gradient(Backend backend) {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (DType[] types : BACKWARD_TYPES) {
            for (int[] shape : SHAPES) {
                int n = shape[0] * shape[1];
                check(backend, seed, "swiglu backward " + shape[0] + "x" + shape[1], types, shape,
                        TestTensors.gaussian(rnd, n, 3), TestTensors.gaussian(rnd, n, 1), TestTensors.gaussian(rnd, n, 1),
                        TestTensors.gaussian(rnd, n, 1), TestTensors.gaussian(rnd, n, 1));
            }
        }
    }

    /** Gates of ±80 and beyond: e^(−g) overflows f32 for g < −88, and nothing may turn into NaN. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void largeGatesStayFiniteForwardAndBackward(Backend backend) {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] extremes = {80f, -80f, 88f, -88f, 89f, -89f, 100f, -100f, 1e4f, -1e4f, 1e30f, -1e30f};
        int n = 97;
        float[] g = new float[n];
        for (int i = 0; i < n; i++) {
            g[i] = extremes[rnd.nextInt(extremes.length)];
        }
        for (DType[] types : BACKWARD_TYPES) {
            check(backend, seed, "swiglu large gates", types, new int[] {1, n}, g, TestTensors.gaussian(rnd, n, 1),
                    TestTensors.gaussian(rnd, n, 1), TestTensors.gaussian(rnd, n, 1), TestTensors.gaussian(rnd, n, 1));
            try (TensorScope scope = backend.newScope()) {
                float[] u = TestTensors.gaussian(rnd, n, 1);
                Tensor ht = scope.allocate(types[3], n);
                backend.swigluForward(ht, TestTensors.tensor(backend, scope, types[0], g, n),
                        TestTensors.tensor(backend, scope, types[1], u, n));
                double[] ref = SwigluReference.forward(stored(g, types[0]), stored(u, types[1]));
                assertClose("swiglu large gates forward " + types[0], seed, ref, backend.toFloats(ht), rtol(types[3], 1e-5), 1e-30);
            }
        }
    }

    private static void check(Backend backend, long seed, String what, DType[] types, int[] shape,
                              float[] g, float[] u, float[] dh, float[] dg0, float[] du0) {
        String desc = what + " gate/up/dh/dgate/dup " + types[0] + "/" + types[1] + "/" + types[2] + "/" + types[3] + "/" + types[4];
        try (TensorScope scope = backend.newScope()) {
            Tensor gt = TestTensors.tensor(backend, scope, types[0], g, shape[0], shape[1]);
            Tensor ut = TestTensors.tensor(backend, scope, types[1], u, shape[0], shape[1]);
            Tensor dht = TestTensors.tensor(backend, scope, types[2], dh, shape[0], shape[1]);
            // Gradients start non-zero: backward must add into them.
            Tensor dgt = TestTensors.tensor(backend, scope, types[3], dg0, shape[0], shape[1]);
            Tensor dut = TestTensors.tensor(backend, scope, types[4], du0, shape[0], shape[1]);
            backend.swigluBackward(dgt, dut, dht, gt, ut);
            SwigluReference.Grads ref = SwigluReference.backward(stored(g, types[0]), stored(u, types[1]), stored(dh, types[2]));
            // f32: 1e-5 relative plus 1e-6 of the largest term (σ'(g) cancels near g = −1.28);
            // bf16 gradients add the rounding of the accumulated value (1e-2).
            assertClose(desc + " dgate", seed, plus(stored(dg0, types[3]), ref.dgate()), backend.toFloats(dgt),
                    rtol(types[3], 1e-5), rtol(types[3], 1e-6) * maxAbs(ref.dgate()));
            assertClose(desc + " dup", seed, plus(stored(du0, types[4]), ref.dup()), backend.toFloats(dut),
                    rtol(types[4], 1e-5), rtol(types[4], 1e-6) * maxAbs(ref.dup()));
        }
    }

    @Test
    void referenceBackwardMatchesFiniteDifferences() {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int n : TestTensors.AWKWARD) {
            double[] g = TestTensors.toDouble(TestTensors.gaussian(rnd, n, 3));
            double[] u = TestTensors.toDouble(TestTensors.gaussian(rnd, n, 1));
            double[] dh = TestTensors.toDouble(TestTensors.gaussian(rnd, n, 1));
            SwigluReference.Grads ref = SwigluReference.backward(g, u, dh);
            int[] all = FiniteDifferences.probeIndices(rnd, n, n);
            double[] fdg = FiniteDifferences.gradient(gg -> FiniteDifferences.dot(dh, SwigluReference.forward(gg, u)), g, all, FiniteDifferences.STEP);
            double[] fdu = FiniteDifferences.gradient(uu -> FiniteDifferences.dot(dh, SwigluReference.forward(g, uu)), u, all, FiniteDifferences.STEP);
            // Central differences with h = 1e-5 in double are good to ~1e-9.
            assertClose("swiglu reference vs finite differences dgate n=" + n, seed, ref.dgate(), fdg, 1e-6, 1e-7);
            assertClose("swiglu reference vs finite differences dup n=" + n, seed, ref.dup(), fdu, 1e-6, 1e-7);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void mismatchedShapesAreRejectedByName(Backend backend) {
        try (TensorScope scope = backend.newScope()) {
            Tensor h = scope.zeros(F32, 4, 8).named("h");
            Tensor g = scope.zeros(F32, 4, 8).named("gate");
            Tensor u = scope.zeros(F32, 8, 4).named("up");
            var e = assertThrows(IllegalArgumentException.class, () -> backend.swigluForward(h, g, u));
            assertTrue(e.getMessage().contains("up") && e.getMessage().contains("[8, 4]"), e.getMessage());
            Tensor ids = scope.zeros(DType.I32, 4, 8).named("ints");
            e = assertThrows(IllegalArgumentException.class, () -> backend.swigluBackward(ids, h, h, g, g));
            assertTrue(e.getMessage().contains("ints") && e.getMessage().contains("I32"), e.getMessage());
        }
    }
}
