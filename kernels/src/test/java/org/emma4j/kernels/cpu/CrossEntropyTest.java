package org.emma4j.kernels.cpu;

import static org.emma4j.kernels.DType.BF16;
import static org.emma4j.kernels.DType.F32;
import static org.emma4j.kernels.DType.I32;
import static org.emma4j.kernels.TestTensors.assertClose;
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
import org.emma4j.kernels.reference.CrossEntropyReference;
import org.emma4j.kernels.reference.FiniteDifferences;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CrossEntropyTest {
    private static final int IGNORE = -100;

    static Stream<Named<Backend>> backends() {
        return KernelTestSupport.backends();
    }

    /** Labels in [0, vocab), about one in five replaced by the ignore index (never all of them, so the loss is tested). */
    private static float[] labels(SplittableRandom rnd, int rows, int vocab) {
        float[] l = new float[rows];
        for (int r = 0; r < rows; r++) {
            l[r] = r > 0 && rnd.nextInt(5) == 0 ? IGNORE : rnd.nextInt(vocab);
        }
        return l;
    }

    private static int[] asInts(float[] x) {
        int[] r = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            r[i] = (int) x[i];
        }
        return r;
    }

    /** dtypes of logits and dlogits; "in place" passes the logits tensor as dlogits. */
    private record Case(DType logits, DType dlogits, boolean inPlace) {
        @Override
        public String toString() {
            return "logits " + logits + (inPlace ? " in place" : " dlogits " + dlogits);
        }
    }

    private static final Case[] CASES = {
            new Case(F32, F32, false), new Case(BF16, BF16, false), new Case(BF16, F32, false), new Case(F32, BF16, false),
            new Case(F32, F32, true), new Case(BF16, BF16, true)};

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void forwardMatchesFloat64Reference(Backend backend) {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (DType dtype : new DType[] {F32, BF16}) {
            for (int rows : TestTensors.AWKWARD) {
                for (int vocab : TestTensors.AWKWARD) {
                    float[] logits = TestTensors.gaussian(rnd, rows * vocab, 3);
                    float[] labels = labels(rnd, rows, vocab);
                    try (TensorScope scope = backend.newScope()) {
                        Tensor lt = TestTensors.tensor(backend, scope, dtype, logits, rows, vocab);
                        Tensor losses = TestTensors.tensor(backend, scope, F32, TestTensors.uniform(rnd, rows, 9), rows);
                        backend.crossEntropyForward(losses, lt, TestTensors.tensor(backend, scope, I32, labels, rows), IGNORE);
                        double[] ref = CrossEntropyReference.losses(stored(logits, dtype), rows, vocab, asInts(labels), IGNORE);
                        // The loss is computed in f32 lanes and double scalars from exactly stored logits: 1e-5 relative, 1e-5 absolute.
                        assertClose("crossEntropy forward " + rows + "x" + vocab + " " + dtype, seed, ref, backend.toFloats(losses), 1e-5, 1e-5);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void forwardBackwardMatchesFloat64Gradient(Backend backend) {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (Case c : CASES) {
            for (int rows : TestTensors.AWKWARD) {
                for (int vocab : TestTensors.AWKWARD) {
                    check(backend, seed, c, rows, vocab, TestTensors.gaussian(rnd, rows * vocab, 3), labels(rnd, rows, vocab),
                            (float) (0.1 + rnd.nextDouble()));
                }
            }
        }
    }

    /** Llama-3-like rows: a vocabulary of 32003 (not a multiple of the vector width), all dtype and in-place cases. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void vocabularySizedRows(Backend backend) {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        int rows = 3;
        int vocab = 32003;
        for (Case c : CASES) {
            float[] labels = {rnd.nextInt(vocab), vocab - 1, 0};
            check(backend, seed, c, rows, vocab, TestTensors.gaussian(rnd, rows * vocab, 4), labels, 1f / 3);
        }
    }

    /** Logits of ±1e4: every exponent would overflow without the max shift; losses reach 2e4 and must stay exact. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void hugeLogitsStayFinite(Backend backend) {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (Case c : CASES) {
            for (int vocab : new int[] {7, 130}) {
                int rows = 7;
                float[] logits = TestTensors.gaussian(rnd, rows * vocab, 3);
                for (int i = 0; i < logits.length; i++) {
                    int pick = rnd.nextInt(3);
                    logits[i] = pick == 0 ? 1e4f : pick == 1 ? -1e4f : logits[i];
                }
                float[] labels = labels(rnd, rows, vocab);
                check(backend, seed, c, rows, vocab, logits, labels, 0.5f);
            }
        }
    }

    private static void check(Backend backend, long seed, Case c, int rows, int vocab, float[] logits, float[] labels, float lossScale) {
        String what = "crossEntropy forwardBackward " + rows + "x" + vocab + " " + c + " scale " + lossScale;
        try (TensorScope scope = backend.newScope()) {
            Tensor lt = TestTensors.tensor(backend, scope, c.logits(), logits, rows, vocab);
            // dlogits starts as garbage: it is written, not accumulated.
            Tensor dt = c.inPlace() ? lt
                    : TestTensors.tensor(backend, scope, c.dlogits(), TestTensors.uniform(new SplittableRandom(seed), rows * vocab, 9), rows, vocab);
            Tensor losses = scope.allocate(F32, rows);
            backend.crossEntropyForwardBackward(losses, dt, lt, TestTensors.tensor(backend, scope, I32, labels, rows), lossScale, IGNORE);
            double[] x = stored(logits, c.logits());
            double[] lossRef = CrossEntropyReference.losses(x, rows, vocab, asInts(labels), IGNORE);
            double[] gradRef = CrossEntropyReference.gradient(x, rows, vocab, asInts(labels), lossScale, IGNORE);
            // Losses: 1e-5 relative (up to 2e4 for ±1e4 logits) plus 1e-5.
            assertClose(what + " losses", seed, lossRef, backend.toFloats(losses), 1e-5, 1e-5);
            // f32 gradient: softmax from an f32 exp (1 ulp) and a double sum, 1e-5 relative plus 1e-7·scale
            // (the largest entry is at most the scale); a bf16 gradient adds its 2^-9 rounding (1e-2).
            assertClose(what + " dlogits", seed, gradRef, backend.toFloats(dt), rtol(c.dlogits(), 1e-5), 1e-7 * lossScale);
        }
    }

    @Test
    void referenceGradientMatchesFiniteDifferences() {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int vocab : new int[] {1, 7, 33, 130}) {
            int rows = 3;
            double[] x = TestTensors.toDouble(TestTensors.gaussian(rnd, rows * vocab, 3));
            int[] labels = {rnd.nextInt(vocab), IGNORE, rnd.nextInt(vocab)};
            double scale = 0.37;
            int[] probe = FiniteDifferences.probeIndices(rnd, x.length, 64);
            double[] fd = FiniteDifferences.gradient(xx -> CrossEntropyReference.scaledTotal(xx, rows, vocab, labels, scale, IGNORE),
                    x, probe, FiniteDifferences.STEP);
            // Central differences with h = 1e-5 in double are good to ~1e-9.
            assertClose("crossEntropy reference vs finite differences V=" + vocab, seed,
                    FiniteDifferences.pick(CrossEntropyReference.gradient(x, rows, vocab, labels, scale, IGNORE), probe), fd, 1e-6, 1e-8);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void anIgnoreIndexInsideTheVocabularyIgnoresThoseRows(Backend backend) {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        int rows = 33;
        int vocab = 97;
        float[] logits = TestTensors.gaussian(rnd, rows * vocab, 2);
        float[] labels = labels(rnd, rows, 4);
        for (int i = 0; i < rows; i++) {
            labels[i] = Math.abs(labels[i]) % 4;
        }
        try (TensorScope scope = backend.newScope()) {
            Tensor lt = TestTensors.tensor(backend, scope, F32, logits, rows, vocab);
            Tensor losses = scope.allocate(F32, rows);
            backend.crossEntropyForwardBackward(losses, lt, lt, TestTensors.tensor(backend, scope, I32, labels, rows), 1f, 0);
            double[] x = TestTensors.toDouble(logits);
            assertClose("ignore index 0 losses", seed, CrossEntropyReference.losses(x, rows, vocab, asInts(labels), 0),
                    backend.toFloats(losses), 1e-5, 1e-5);
            assertClose("ignore index 0 dlogits", seed, CrossEntropyReference.gradient(x, rows, vocab, asInts(labels), 1, 0),
                    backend.toFloats(lt), 1e-5, 1e-7);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void labelsOutsideTheVocabularyAreRejectedByRow(Backend backend) {
        try (TensorScope scope = backend.newScope()) {
            Tensor logits = scope.zeros(F32, 4, 10);
            Tensor losses = scope.zeros(F32, 4);
            for (int bad : new int[] {10, -1, 12345}) {
                Tensor labels = TestTensors.tensor(backend, scope, I32, new float[] {1, IGNORE, bad, 9}, 4);
                var e = assertThrows(IllegalArgumentException.class, () -> backend.crossEntropyForward(losses, logits, labels, IGNORE));
                assertTrue(e.getMessage().contains("row 2") && e.getMessage().contains(String.valueOf(bad)), e.getMessage());
                e = assertThrows(IllegalArgumentException.class,
                        () -> backend.crossEntropyForwardBackward(losses, logits, logits, labels, 1f, IGNORE));
                assertTrue(e.getMessage().contains("row 2"), e.getMessage());
            }
            Tensor shortLabels = scope.zeros(I32, 3).named("labels3");
            var e = assertThrows(IllegalArgumentException.class, () -> backend.crossEntropyForward(losses, logits, shortLabels, IGNORE));
            assertTrue(e.getMessage().contains("labels3"), e.getMessage());
            Tensor badGrad = scope.zeros(F32, 4, 11).named("dlogits11");
            e = assertThrows(IllegalArgumentException.class,
                    () -> backend.crossEntropyForwardBackward(losses, badGrad, logits, scope.zeros(I32, 4), 1f, IGNORE));
            assertTrue(e.getMessage().contains("dlogits11"), e.getMessage());
        }
    }
}
