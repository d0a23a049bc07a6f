package org.emma4j.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.emma4j.kernels.Backend;
import org.emma4j.kernels.BackendsUnderTest;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorScope;
import org.emma4j.kernels.TestTensors;
import org.emma4j.kernels.reference.MatmulReference;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code Backend.matmul} against the float64 {@link MatmulReference}, on fresh random inputs.
 *
 * <p>Tolerance: every element must satisfy {@code |actual − exact| ≤ 1e-5 · magnitude (+ 2^-8 · |exact| when c is
 * BF16)}, where {@code magnitude = |alpha| · Σ_k |op(a)[i,k]·op(b)[k,j]| + |beta · c[i,j]|}. Float32 accumulation
 * of K ≤ ~2000 random-sign terms errs by about √K · 2^-24 · magnitude (≤ 3e-6 here), so 1e-5 is tight yet safe;
 * a wrong, missing or duplicated term errs by the size of a whole term and fails. BF16/F16 operands are checked
 * against the reference run on exactly the values the tensors hold (read back after rounding), so they keep the
 * same f32 tolerance; a BF16 output adds its own rounding to nearest, at most half an ulp of its 8 significant bits: 2^-8 relative.
 */
class MatmulTest {
    private static final double F32_REL = 1e-5;
    private static final double BF16_OUT_REL = 1.0 / 256;
    private static final boolean[] BOOLS = {false, true};

    static Stream<Named<Backend>> backends() {
        return BackendsUnderTest.create().stream().map(b -> Named.of(b.name(), b));
    }

    /** One product to check: shapes, dtypes, transposes and the scalars. */
    private record Case(String what, DType cType, long[] cShape, DType aType, long[] aShape, boolean transA,
                        DType bType, long[] bShape, boolean transB, float alpha, float beta) {

        static Case f32(int m, int n, int k, boolean transA, boolean transB, float alpha, float beta) {
            return new Case("f32", DType.F32, new long[]{m, n}, DType.F32, transA ? new long[]{k, m} : new long[]{m, k}, transA,
                    DType.F32, transB ? new long[]{n, k} : new long[]{k, n}, transB, alpha, beta);
        }

        Case types(DType c, DType a, DType b) {
            return new Case(what, c, cShape, a, aShape, transA, b, bShape, transB, alpha, beta);
        }

        Case labelled(String label) {
            return new Case(label, cType, cShape, aType, aShape, transA, bType, bShape, transB, alpha, beta);
        }

        @Override
        public String toString() {
            return what + ": c " + cType + Arrays.toString(cShape) + " = " + alpha + "·op(a " + aType + Arrays.toString(aShape)
                    + (transA ? ")ᵀ" : ")") + "·op(b " + bType + Arrays.toString(bShape) + (transB ? ")ᵀ" : ")") + " + " + beta + "·c";
        }
    }

    /** Runs the case on fresh data from {@code rnd} and checks every element against the reference. */
    private static void check(Backend backend, long seed, SplittableRandom rnd, Case t) {
        try (TensorScope scope = backend.newScope()) {
            Tensor a = TestTensors.tensor(backend, scope, t.aType, TestTensors.gaussian(rnd, size(t.aShape), 1.0), t.aShape).named("a");
            Tensor b = TestTensors.tensor(backend, scope, t.bType, TestTensors.gaussian(rnd, size(t.bShape), 1.0), t.bShape).named("b");
            float[] prior = TestTensors.gaussian(rnd, size(t.cShape), 1.0);
            if (t.beta == 0f) {
                Arrays.fill(prior, Float.NaN); // beta == 0 must not read c, so garbage may not leak
            }
            Tensor c = TestTensors.tensor(backend, scope, t.cType, prior, t.cShape).named("c");
            float[] cBefore = backend.toFloats(c);
            MatmulReference.Product expected = MatmulReference.matmul(cBefore, t.cShape, backend.toFloats(a), t.aShape, t.transA,
                    backend.toFloats(b), t.bShape, t.transB, t.alpha, t.beta);

            backend.matmul(c, a, t.transA, b, t.transB, t.alpha, t.beta);

            assertWithinTolerance(t + " on " + backend.name(), seed, expected, backend.toFloats(c), t.cType);
        }
    }

    private static void assertWithinTolerance(String what, long seed, MatmulReference.Product expected, float[] actual, DType cType) {
        double[] exact = expected.value();
        int worst = -1;
        double worstRatio = 0;
        for (int i = 0; i < exact.length; i++) {
            double allowed = F32_REL * expected.magnitude()[i] + (cType == DType.BF16 ? BF16_OUT_REL * Math.abs(exact[i]) : 0);
            double err = Math.abs(actual[i] - exact[i]);
            if (!(err <= allowed)) {
                double ratio = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err / Math.max(allowed, Double.MIN_VALUE);
                if (worst < 0 || ratio > worstRatio) {
                    worst = i;
                    worstRatio = ratio;
                }
            }
        }
        if (worst >= 0) {
            fail(String.format("%s: element %d is %s, expected %s (magnitude %.4g, error %.3g times the tolerance); seed %d",
                    what, worst, actual[worst], exact[worst], expected.magnitude()[worst], worstRatio, seed));
        }
    }

    private static int size(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return Math.toIntExact(n);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void everyTransposeOverAwkwardSizes(Backend backend) {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (boolean transA : BOOLS) {
            for (boolean transB : BOOLS) {
                for (int m : TestTensors.AWKWARD) {
                    for (int n : TestTensors.AWKWARD) {
                        for (int k : TestTensors.AWKWARD) {
                            check(backend, seed, rnd, Case.f32(m, n, k, transA, transB, 1f, 0f));
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void alphaScalesAndBetaAccumulates(Backend backend) {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        int[][] sizes = {{7, 33, 130}, {97, 1, 33}, {33, 130, 7}, {2, 97, 130}};
        float[][] scalars = {{0.75f, -1.25f}, {-2f, 1f}, {1f, 0.5f}, {0f, -0.5f}, {1.5f, 0f}};
        for (boolean transA : BOOLS) {
            for (boolean transB : BOOLS) {
                for (int[] s : sizes) {
                    for (float[] ab : scalars) {
                        check(backend, seed, rnd, Case.f32(s[0], s[1], s[2], transA, transB, ab[0], ab[1]));
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void cacheBlockEdgesAreCrossed(Backend backend) {
        // Larger than the CPU blocks in every direction, with ragged remainders: M=1100 spans three MC=512 row
        // blocks (on two threads one task takes two of them and reuses its packed op(b), another takes one),
        // K=270 two KC=256 blocks, N=520 sixteen NR=32 panels and a partial one, more than two C tiles.
        assertTrue(1100 > 2 * CpuGemm.MC && 270 > CpuGemm.KC && 520 % CpuGemm.NR != 0 && 520 > 2 * CpuGemm.TILE_PANELS * CpuGemm.NR,
                "sizes must cross the CPU blocks");
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (boolean transA : BOOLS) {
            for (boolean transB : BOOLS) {
                check(backend, seed, rnd, Case.f32(1100, 520, 270, transA, transB, 1.5f, 0.5f));
            }
        }
        // Few rows, many columns and a deep K (40 rows are more than CpuGemv takes, so this goes through CpuGemm):
        // one row block, tiles cut narrower than TILE_PANELS so that both threads get work.
        assertTrue(40 > CpuGemv.MAX_ROWS, "M must exceed what the GEMV path takes");
        check(backend, seed, rnd, Case.f32(40, 2100, 2000, false, true, 1f, 0f));
        check(backend, seed, rnd, Case.f32(40, 100, 2000, true, false, 1f, 1f));
        // op(a) too large to pack once for the whole call (4104 padded rows × K=4100): packed and multiplied in
        // two chunks of rows, the first of seven row blocks shared out in groups.
        assertTrue(4104L * 4100 > CpuGemm.PACKED_A_FLOATS, "op(a) must exceed what is packed at once");
        check(backend, seed, rnd, Case.f32(4100, 9, 4100, false, false, 0.5f, 0f));
        check(backend, seed, rnd, Case.f32(4100, 9, 4100, true, true, 1f, 0.5f));
    }

    @ParameterizedTest
    @MethodSource("backends")
    void everyOperandAndOutputDType(Backend backend) {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        DType[] inputs = {DType.F32, DType.BF16, DType.F16};
        for (DType cType : new DType[]{DType.F32, DType.BF16}) {
            for (DType aType : inputs) {
                for (DType bType : inputs) {
                    for (boolean transA : BOOLS) {
                        for (boolean transB : BOOLS) {
                            float beta = transA ? 0.5f : 0f;
                            check(backend, seed, rnd, Case.f32(33, 97, 130, transA, transB, 1f, beta).types(cType, aType, bType));
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void batchedWithSharedOrPerEntryOperands(Backend backend) {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        DType f = DType.F32;
        Case[] cases = {
            // activations [2, 3, M, K] times one weight: y = x·Wᵀ, then dX = dY·W, then with x stored transposed
            new Case("shared weight", f, new long[]{2, 3, 33, 97}, f, new long[]{2, 3, 33, 130}, false, f, new long[]{97, 130}, true, 1f, 0.5f),
            new Case("shared weight", f, new long[]{2, 3, 33, 130}, f, new long[]{2, 3, 33, 97}, false, DType.BF16, new long[]{97, 130}, false, 1f, 0f),
            new Case("shared weight", f, new long[]{2, 3, 33, 97}, f, new long[]{2, 3, 130, 33}, true, f, new long[]{97, 130}, true, -1f, 1f),
            new Case("both batched", f, new long[]{2, 3, 33, 97}, f, new long[]{2, 3, 33, 130}, false, f, new long[]{2, 3, 130, 97}, false, 1f, 0f),
            new Case("both batched", DType.BF16, new long[]{2, 3, 33, 97}, f, new long[]{2, 3, 130, 33}, true, f, new long[]{2, 3, 97, 130}, true, 0.5f, 2f),
            new Case("shared a", f, new long[]{2, 3, 33, 97}, f, new long[]{33, 130}, false, f, new long[]{2, 3, 97, 130}, true, 1f, 0f),
            new Case("many small", f, new long[]{5, 7, 9}, f, new long[]{5, 7, 33}, false, f, new long[]{5, 33, 9}, false, 1f, 0.5f),
            new Case("few large", f, new long[]{2, 130, 260}, f, new long[]{2, 300, 130}, true, f, new long[]{2, 300, 260}, false, 1f, 0f),
            new Case("decode rows", f, new long[]{3, 1, 97}, f, new long[]{3, 1, 130}, false, DType.BF16, new long[]{97, 130}, true, 1f, 0f),
            new Case("decode rows", f, new long[]{5, 1, 97}, f, new long[]{5, 1, 130}, false, f, new long[]{97, 130}, true, 1f, 0f),
            new Case("decode rows", f, new long[]{3, 1, 97}, f, new long[]{3, 1, 130}, false, f, new long[]{3, 97, 130}, true, 1f, 1f),
        };
        for (Case t : cases) {
            check(backend, seed, rnd, t);
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void fewRowsAgainstATransposedWeight(Backend backend) {
        // The decode / short-prompt shape y = x·Wᵀ, which the CPU streams through W without packing it: rows in
        // blocks of four plus every remainder, up to the CPU's limit and one past it (the packed GEMM again).
        int limit = CpuGemv.MAX_ROWS;
        assertTrue(limit >= 13, "the few-rows path is meant for up to a few dozen rows");
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] rows = {1, 2, 3, 4, 5, 7, 13, limit, limit + 1};
        int[][] nk = {{7, 1}, {97, 33}, {301, 130}, {130, 2050}};
        for (DType wType : new DType[]{DType.F32, DType.BF16, DType.F16}) {
            for (int m : rows) {
                for (int[] s : nk) {
                    check(backend, seed, rnd, Case.f32(m, s[0], s[1], false, true, 1f, 0f).types(DType.F32, DType.F32, wType));
                }
            }
            check(backend, seed, rnd, Case.f32(3, 301, 130, true, true, 0.5f, 1f).types(DType.F32, DType.BF16, wType));
            check(backend, seed, rnd, Case.f32(6, 301, 130, false, true, -1f, 0.25f).types(DType.BF16, DType.F32, wType));
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void emptyInnerDimensionLeavesBetaTimesC(Backend backend) {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        check(backend, seed, rnd, Case.f32(7, 33, 0, false, false, 1f, 0.5f));
        check(backend, seed, rnd, Case.f32(7, 33, 0, true, true, 1f, 0f));
        check(backend, seed, rnd, Case.f32(2, 33, 0, false, true, 1f, 0f));
    }

    @ParameterizedTest
    @MethodSource("backends")
    void badShapesAndDTypesAreRejectedWithClearMessages(Backend backend) {
        try (TensorScope scope = backend.newScope()) {
            Tensor a = scope.allocate(DType.F32, 3, 5).named("x");
            Tensor w = scope.allocate(DType.F32, 4, 5).named("w");
            Tensor y = scope.allocate(DType.F32, 3, 4).named("y");
            backend.matmul(y, a, false, w, true, 1f, 0f); // the well-formed call, for contrast

            expectRejected(backend, y, a, false, w, false, "op(b) (w", "K=5");
            expectRejected(backend, scope.allocate(DType.F32, 3, 6).named("y6"), a, false, w, true, "c (y6", "N=6");
            expectRejected(backend, scope.allocate(DType.F32, 2, 4).named("y2"), a, false, w, true, "op(a) (x", "M=2");
            expectRejected(backend, y, a, true, w, true, "op(a) (x", "transA=true");
            expectRejected(backend, scope.allocate(DType.F16, 3, 4).named("y16"), a, false, w, true, "c (y16)", "F16");
            expectRejected(backend, scope.allocate(DType.I32, 3, 4).named("yi"), a, false, w, true, "c (yi)", "I32");
            expectRejected(backend, y, scope.allocate(DType.I32, 3, 5).named("xi"), false, w, true, "a (xi)", "I32");
            expectRejected(backend, y, scope.allocate(DType.F32, 15).named("flat"), false, w, true, "a (flat)", "rank 2");
            expectRejected(backend, scope.allocate(DType.F32, 2, 3, 4).named("yb"), scope.allocate(DType.F32, 3, 3, 5).named("xb"), false,
                    w, true, "a (xb", "batch dimensions [2]");
        }
    }

    private static void expectRejected(Backend backend, Tensor c, Tensor a, boolean transA, Tensor b, boolean transB, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> backend.matmul(c, a, transA, b, transB, 1f, 0f));
        String message = e.getMessage();
        assertTrue(message.startsWith("matmul"), () -> "message should name the op: " + message);
        for (String fragment : fragments) {
            assertTrue(message.contains(fragment), () -> "message should mention '" + fragment + "': " + message);
        }
    }
}
