package org.emma4j.kernels.cpu;

import static org.emma4j.kernels.DType.BF16;
import static org.emma4j.kernels.DType.F32;
import static org.emma4j.kernels.DType.I32;
import static org.emma4j.kernels.TestTensors.assertClose;
import static org.emma4j.kernels.cpu.KernelTestSupport.maxAbs;
import static org.emma4j.kernels.cpu.KernelTestSupport.plus;
import static org.emma4j.kernels.cpu.KernelTestSupport.rtol;
import static org.emma4j.kernels.cpu.KernelTestSupport.stored;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.emma4j.kernels.Backend;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorScope;
import org.emma4j.kernels.TestTensors;
import org.emma4j.kernels.reference.EmbeddingReference;
import org.emma4j.kernels.reference.FiniteDifferences;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EmbeddingTest {
    static Stream<Named<Backend>> backends() {
        return KernelTestSupport.backends();
    }

    /** dtypes of table and out (forward), or of dtable and dout (backward). */
    private static final DType[][] TYPES = {{F32, F32}, {BF16, BF16}, {F32, BF16}, {BF16, F32}};

    /** N ids drawn from the first {@code distinct} rows of the vocabulary, so ids repeat when distinct < n. */
    private static float[] ids(SplittableRandom rnd, int n, int distinct) {
        float[] ids = new float[n];
        for (int i = 0; i < n; i++) {
            ids[i] = rnd.nextInt(distinct);
        }
        return ids;
    }

    private static int[] asInts(float[] x) {
        int[] r = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            r[i] = (int) x[i];
        }
        return r;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void forwardCopiesTheRows(Backend backend) {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (DType[] types : TYPES) {
            for (int vocab : TestTensors.AWKWARD) {
                for (int cols : TestTensors.AWKWARD) {
                    for (int n : new int[] {33}) {
                        String what = "embedding forward V=" + vocab + " C=" + cols + " N=" + n + " table/out " + types[0] + "/" + types[1];
                        try (TensorScope scope = backend.newScope()) {
                            float[] table = TestTensors.gaussian(rnd, vocab * cols, 1);
                            float[] ids = ids(rnd, n, vocab);
                            Tensor tt = TestTensors.tensor(backend, scope, types[0], table, vocab, cols);
                            Tensor it = TestTensors.tensor(backend, scope, I32, ids, n);
                            Tensor out = TestTensors.tensor(backend, scope, types[1], TestTensors.uniform(rnd, n * cols, 9), n, cols);
                            backend.embeddingForward(out, it, tt);
                            // A copy is exact; only an F32 table into a BF16 output rounds, to nearest even.
                            double[] ref = EmbeddingReference.forward(stored(table, types[0]), cols, asInts(ids));
                            double[] expected = stored(toFloats(ref), types[1]);
                            assertClose(what, seed, expected, backend.toFloats(out), 0, 0);
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void backwardScatterAddsRepeatedIds(Backend backend) {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (DType[] types : TYPES) {
            for (int vocab : TestTensors.AWKWARD) {
                for (int cols : TestTensors.AWKWARD) {
                    // 130 ids over at most 7 distinct rows repeat heavily.
                    check(backend, seed, rnd, types, vocab, cols, 1, vocab);
                    check(backend, seed, rnd, types, vocab, cols, 130, Math.min(vocab, 7));
                }
            }
            // 4099 ids over 3 rows, 130 wide: enough work that the columns are split over the threads.
            check(backend, seed, rnd, types, 97, 130, 4099, 3);
        }
    }

    private static void check(Backend backend, long seed, SplittableRandom rnd, DType[] types, int vocab, int cols, int n, int distinct) {
        String what = "embedding backward V=" + vocab + " C=" + cols + " N=" + n + " dtable/dout " + types[0] + "/" + types[1];
        try (TensorScope scope = backend.newScope()) {
            float[] dtable0 = TestTensors.gaussian(rnd, vocab * cols, 1);
            float[] dout = TestTensors.gaussian(rnd, n * cols, 1);
            float[] ids = ids(rnd, n, distinct);
            // The gradient starts non-zero: backward must add into it.
            Tensor dt = TestTensors.tensor(backend, scope, types[0], dtable0, vocab, cols);
            Tensor dot = TestTensors.tensor(backend, scope, types[1], dout, n, cols);
            Tensor it = TestTensors.tensor(backend, scope, I32, ids, n);
            backend.embeddingBackward(dt, dot, it);
            double[] ref = EmbeddingReference.backward(stored(dout, types[1]), asInts(ids), vocab, cols);
            // f32: sums of up to ~4000 terms in f32, 1e-5 relative plus 1e-5 of the largest; bf16 dtable: its rounding, 1e-2.
            double tol = rtol(types[0], 1e-5);
            assertClose(what, seed, plus(stored(dtable0, types[0]), ref), backend.toFloats(dt), tol, tol * maxAbs(ref));
        }
    }

    @Test
    void referenceBackwardMatchesFiniteDifferences() {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        int vocab = 7;
        int cols = 33;
        int n = 33;
        double[] table = TestTensors.toDouble(TestTensors.gaussian(rnd, vocab * cols, 1));
        double[] dout = TestTensors.toDouble(TestTensors.gaussian(rnd, n * cols, 1));
        int[] ids = asInts(ids(rnd, n, 5));
        int[] probe = FiniteDifferences.probeIndices(rnd, table.length, table.length);
        double[] fd = FiniteDifferences.gradient(t -> FiniteDifferences.dot(dout, EmbeddingReference.forward(t, cols, ids)),
                table, probe, FiniteDifferences.STEP);
        // The loss is linear in the table, so central differences are exact up to rounding (~1e-10).
        assertClose("embedding reference vs finite differences", seed, EmbeddingReference.backward(dout, ids, vocab, cols), fd, 1e-7, 1e-8);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void idsOutsideTheVocabularyAreRejectedBeforeAnyWrite(Backend backend) {
        try (TensorScope scope = backend.newScope()) {
            int vocab = 11;
            float[] dtable0 = TestTensors.uniform(new SplittableRandom(1), vocab * 4, 1);
            Tensor table = TestTensors.tensor(backend, scope, F32, dtable0, vocab, 4);
            Tensor out = scope.allocate(F32, 5, 4);
            for (int bad : new int[] {-1, 11, 1_000_000}) {
                Tensor ids = TestTensors.tensor(backend, scope, I32, new float[] {0, 3, 10, bad, 2}, 5).named("tokens");
                var e = assertThrows(IllegalArgumentException.class, () -> backend.embeddingForward(out, ids, table));
                String msg = e.getMessage();
                assertTrue(msg.contains("position 3") && msg.contains(String.valueOf(bad)) && msg.contains("11") && msg.contains("tokens"), msg);
                e = assertThrows(IllegalArgumentException.class, () -> backend.embeddingBackward(table, out, ids));
                assertTrue(e.getMessage().contains("position 3") && e.getMessage().contains(String.valueOf(bad)), e.getMessage());
                assertArrayEquals(dtable0, backend.toFloats(table), "the table must be untouched by a rejected backward");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void idsShapedAsBatchTimesTime(Backend backend) {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        try (TensorScope scope = backend.newScope()) {
            float[] table = TestTensors.gaussian(rnd, 97 * 7, 1);
            float[] ids = ids(rnd, 2 * 33, 97);
            Tensor out = scope.allocate(F32, 2, 33, 7);
            backend.embeddingForward(out, TestTensors.tensor(backend, scope, I32, ids, 2, 33), TestTensors.tensor(backend, scope, F32, table, 97, 7));
            assertClose("embedding [B, T] ids", seed, EmbeddingReference.forward(TestTensors.toDouble(table), 7, asInts(ids)),
                    backend.toFloats(out), 0, 0);
            Tensor flat = scope.allocate(F32, 66, 8);
            var e = assertThrows(IllegalArgumentException.class, () -> backend.embeddingForward(flat.named("emb"),
                    TestTensors.tensor(backend, scope, I32, ids, 66), TestTensors.tensor(backend, scope, F32, table, 97, 7)));
            assertTrue(e.getMessage().contains("emb") && e.getMessage().contains("[66, 7]"), e.getMessage());
        }
    }

    private static float[] toFloats(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = (float) x[i];
        }
        return f;
    }
}
