package org.emma4j.kernels.cpu;

import static org.emma4j.kernels.DType.BF16;
import static org.emma4j.kernels.DType.F16;
import static org.emma4j.kernels.DType.F32;
import static org.emma4j.kernels.DType.I32;
import static org.emma4j.kernels.TestTensors.assertClose;
import static org.emma4j.kernels.cpu.KernelTestSupport.maxAbs;
import static org.emma4j.kernels.cpu.KernelTestSupport.rtol;
import static org.emma4j.kernels.cpu.KernelTestSupport.stored;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.emma4j.kernels.Backend;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorScope;
import org.emma4j.kernels.TestTensors;
import org.emma4j.kernels.reference.ElementwiseReference;
import org.emma4j.kernels.reference.RoundingReference;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ElementwiseTest {
    /** The awkward sizes and one (70001) large enough that the pool splits the work. */
    private static final int[] SIZES = {1, 7, 33, 97, 130, 70_001};

    static Stream<Named<Backend>> backends() {
        return KernelTestSupport.backends();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void fillWritesTheValueRoundedToTheDtype(Backend backend) {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int n : SIZES) {
            try (TensorScope scope = backend.newScope()) {
                for (DType dtype : new DType[] {F32, BF16, F16}) {
                    float value = (float) rnd.nextDouble(-3, 3);
                    Tensor t = TestTensors.tensor(backend, scope, dtype, TestTensors.uniform(rnd, n, 9), n);
                    backend.fill(t, value);
                    double expected = switch (dtype) {
                        case BF16 -> RoundingReference.toBf16(value);
                        case F16 -> RoundingReference.toF16(value);
                        default -> value;
                    };
                    assertClose("fill " + dtype + " n=" + n, seed, constant(n, expected), backend.toFloats(t), 0, 0);
                }
                Tensor ints = TestTensors.tensor(backend, scope, I32, TestTensors.uniform(rnd, n, 9), n);
                backend.fill(ints, -7f);
                assertClose("fill I32 n=" + n, seed, constant(n, -7), backend.toFloats(ints), 0, 0);
                var e = assertThrows(IllegalArgumentException.class, () -> backend.fill(ints.named("counts"), 2.5f));
                assertTrue(e.getMessage().contains("counts") && e.getMessage().contains("2.5"), e.getMessage());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void scaleMultipliesInPlace(Backend backend) {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (DType dtype : new DType[] {F32, BF16}) {
            for (int n : SIZES) {
                try (TensorScope scope = backend.newScope()) {
                    float[] x = TestTensors.gaussian(rnd, n, 2);
                    float s = (float) rnd.nextDouble(-2, 2);
                    Tensor t = TestTensors.tensor(backend, scope, dtype, x, n);
                    backend.scale(t, s);
                    // One f32 rounding (1e-6 relative); bf16 rounds the product again (1e-2).
                    assertClose("scale " + dtype + " n=" + n, seed, ElementwiseReference.scale(stored(x, dtype), s),
                            backend.toFloats(t), rtol(dtype, 1e-6), 0);
                }
            }
        }
    }

    /** dtypes of out, a, b. */
    private static final DType[][] ADD_TYPES = {{F32, F32, F32}, {BF16, BF16, BF16}, {F32, BF16, F32}, {BF16, F32, BF16}};

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void addWorksAlsoWhenOutIsAnInput(Backend backend) {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (DType[] types : ADD_TYPES) {
            for (int n : SIZES) {
                for (String alias : new String[] {"none", "a", "b"}) {
                    // Aliasing needs equal dtypes; the large size (a parallel split) is tried without aliasing only.
                    if (!alias.equals("none") && (types[0] != types[alias.equals("a") ? 1 : 2] || n > 1000)) {
                        continue;
                    }
                    String what = "add out/a/b " + types[0] + "/" + types[1] + "/" + types[2] + " n=" + n + " out aliases " + alias;
                    try (TensorScope scope = backend.newScope()) {
                        float[] a = TestTensors.gaussian(rnd, n, 1);
                        float[] b = TestTensors.gaussian(rnd, n, 1);
                        Tensor at = TestTensors.tensor(backend, scope, types[1], a, n);
                        Tensor bt = TestTensors.tensor(backend, scope, types[2], b, n);
                        Tensor out = switch (alias) {
                            case "a" -> at;
                            case "b" -> bt;
                            default -> TestTensors.tensor(backend, scope, types[0], TestTensors.uniform(rnd, n, 9), n);
                        };
                        backend.add(out, at, bt);
                        double[] as = stored(a, types[1]);
                        double[] bs = stored(b, types[2]);
                        double[] ref = ElementwiseReference.add(as, bs);
                        // One rounding of the sum: 1e-6 relative plus 1e-7 of the operands (a + b may cancel); bf16: 1e-2.
                        assertClose(what, seed, ref, backend.toFloats(out), rtol(types[0], 1e-6),
                                rtol(types[0], 1e-7) * (maxAbs(as) + maxAbs(bs)));
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void globalL2NormAccumulatesInDouble(Backend backend) {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        try (TensorScope scope = backend.newScope()) {
            List<Tensor> tensors = new ArrayList<>();
            List<double[]> values = new ArrayList<>();
            for (DType dtype : new DType[] {F32, BF16}) {
                for (int n : new int[] {1, 7, 33, 97, 130, 65536 + 5}) {
                    float[] x = TestTensors.gaussian(rnd, n, rnd.nextDouble(0.1, 3));
                    tensors.add(TestTensors.tensor(backend, scope, dtype, x, n));
                    values.add(stored(x, dtype));
                }
                tensors.add(scope.allocate(dtype, 0));
                values.add(new double[0]);
            }
            // Squares of floats are exact in double; only the summation order differs: 1e-12 relative.
            double expected = ElementwiseReference.globalL2Norm(values.toArray(double[][]::new));
            assertEquals(expected, backend.globalL2Norm(tensors), 1e-12 * expected, "global norm; seed " + seed);
            assertEquals(ElementwiseReference.globalL2Norm(values.get(3)), backend.globalL2Norm(List.of(tensors.get(3))),
                    1e-12 * expected, "norm of one tensor; seed " + seed);
            assertEquals(0.0, backend.globalL2Norm(List.of()), "norm of nothing");

            // 1e20² overflows f32 but not double.
            float[] huge = TestTensors.uniform(rnd, 97, 1e20);
            double hugeExpected = ElementwiseReference.globalL2Norm(TestTensors.toDouble(huge));
            assertEquals(hugeExpected, backend.globalL2Norm(List.of(TestTensors.tensor(backend, scope, F32, huge, 97))),
                    1e-12 * hugeExpected, "norm of values near 1e20; seed " + seed);

            Tensor ints = scope.allocate(I32, 4).named("steps");
            var e = assertThrows(IllegalArgumentException.class, () -> backend.globalL2Norm(List.of(tensors.get(0), ints)));
            assertTrue(e.getMessage().contains("steps") && e.getMessage().contains("I32"), e.getMessage());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void mismatchedSizesAreRejectedByName(Backend backend) {
        try (TensorScope scope = backend.newScope()) {
            Tensor a = scope.zeros(F32, 10).named("a");
            Tensor b = scope.zeros(F32, 11).named("b11");
            var e = assertThrows(IllegalArgumentException.class, () -> backend.add(a, a, b));
            assertTrue(e.getMessage().contains("b11") && e.getMessage().contains("add"), e.getMessage());
            Tensor ints = scope.zeros(I32, 10).named("ints");
            e = assertThrows(IllegalArgumentException.class, () -> backend.scale(ints, 2f));
            assertTrue(e.getMessage().contains("ints") && e.getMessage().contains("I32"), e.getMessage());
        }
    }

    private static double[] constant(int n, double v) {
        double[] x = new double[n];
        java.util.Arrays.fill(x, v);
        return x;
    }
}
