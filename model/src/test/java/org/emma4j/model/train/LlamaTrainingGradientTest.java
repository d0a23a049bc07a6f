package org.emma4j.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.emma4j.kernels.Backend;
import org.emma4j.kernels.BackendsUnderTest;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.RopeFrequencies;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorScope;
import org.emma4j.kernels.TestTensors;
import org.emma4j.model.config.LlamaConfig;
import org.emma4j.model.llama.RandomLlama;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The gradient of the whole model (GQA, tied and untied embeddings, llama3 rope scaling) against central
 * finite differences of the float64 reference loss, on tiny shapes with awkward sizes and ignored labels.
 * Finite differences in double with h = 1e-5 have error ~1e-9, so the tolerance reflects the float32
 * analytic gradient: |g − fd| ≤ 2e-3·|fd| + 2e-4·max|g of that tensor|.
 */
class LlamaTrainingGradientTest {
    private static final List<Backend> BACKENDS = BackendsUnderTest.create();
    private static final double H = 1e-5;

    @AfterAll
    static void close() {
        BACKENDS.forEach(Backend::close);
    }

    static int[][] batch(SplittableRandom rnd, int batch, int seqLen, int vocab) {
        int[] inputs = new int[batch * seqLen];
        int[] labels = new int[batch * seqLen];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = rnd.nextInt(vocab);
        }
        for (int i = 0; i < inputs.length; i++) {
            boolean last = (i + 1) % seqLen == 0;
            labels[i] = last || rnd.nextInt(5) == 0 ? LlamaTraining.IGNORE_INDEX : inputs[i + 1];
        }
        return new int[][] {inputs, labels};
    }

    private void checkGradients(String what, LlamaConfig config, boolean recompute) {
        long seed = TestTensors.freshSeed();
        int b = 2;
        int t = 7;
        for (Backend backend : BACKENDS) {
            try (TensorScope scope = backend.newScope()) {
                RandomLlama model = new RandomLlama(backend, scope, config, DType.F32, 0.3, seed);
                SplittableRandom rnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
                int[][] data = batch(rnd, b, t, config.vocabSize());
                long count = new MicroBatch(data[0], data[1]).labelledTokens();
                try (LlamaTraining training = new LlamaTraining(backend, config, model.weights, LlamaTraining.Precision.FP32, b, t,
                        recompute)) {
                    training.zeroGradients();
                    var loss = training.forwardBackward(data[0], data[1], (float) (1.0 / count));
                    double refSum = ReferenceLoss.sum(model, model.values, b, t, data[0], data[1]);
                    assertEquals(refSum / count, loss.mean(), 1e-5 * Math.abs(refSum / count), what + ": loss vs float64 reference (seed " + seed + ")");
                    assertEquals(count, loss.tokens());

                    Map<String, Tensor> grads = training.gradients().byName();
                    // Per tensor: a few random entries against central differences.
                    for (var e : grads.entrySet()) {
                        String name = e.getKey().replace(".grad", "");
                        float[] g = backend.toFloats(e.getValue());
                        double gMax = 0;
                        for (float v : g) {
                            gMax = Math.max(gMax, Math.abs(v));
                        }
                        for (int k = 0; k < 3; k++) {
                            int idx = rnd.nextInt(g.length);
                            double fd = finiteDifference(model, name, idx, b, t, data) / count;
                            double err = Math.abs(g[idx] - fd);
                            assertTrue(err <= 2e-3 * Math.abs(fd) + 2e-4 * gMax, String.format(
                                    "%s on %s: d loss / d %s[%d] = %.8g analytic vs %.8g finite difference (max |g| %.3g); seed %d",
                                    what, backend.name(), name, idx, g[idx], fd, gMax, seed));
                        }
                    }
                    // The whole gradient along one random direction of every parameter.
                    Map<String, double[]> direction = new HashMap<>();
                    double analytic = 0;
                    for (var e : grads.entrySet()) {
                        String name = e.getKey().replace(".grad", "");
                        float[] g = backend.toFloats(e.getValue());
                        double[] d = TestTensors.toDouble(TestTensors.uniform(rnd, g.length, 1));
                        direction.put(name, d);
                        for (int i = 0; i < g.length; i++) {
                            analytic += g[i] * d[i];
                        }
                    }
                    double plus = ReferenceLoss.sum(model, shifted(model.values, direction, H), b, t, data[0], data[1]);
                    double minus = ReferenceLoss.sum(model, shifted(model.values, direction, -H), b, t, data[0], data[1]);
                    double fd = (plus - minus) / (2 * H) / count;
                    assertEquals(fd, analytic, 1e-3 * Math.abs(fd) + 1e-6, what + " on " + backend.name()
                            + ": directional derivative (seed " + seed + ")");
                }
            }
        }
    }

    private static double finiteDifference(RandomLlama model, String name, int idx, int b, int t, int[][] data) {
        Map<String, double[]> w = new HashMap<>(model.values);
        double[] orig = w.get(name);
        double[] p = orig.clone();
        p[idx] = orig[idx] + H;
        w.put(name, p);
        double plus = ReferenceLoss.sum(model, w, b, t, data[0], data[1]);
        double[] m = orig.clone();
        m[idx] = orig[idx] - H;
        w.put(name, m);
        double minus = ReferenceLoss.sum(model, w, b, t, data[0], data[1]);
        return (plus - minus) / (2 * H);
    }

    private static Map<String, double[]> shifted(Map<String, double[]> values, Map<String, double[]> direction, double h) {
        Map<String, double[]> out = new HashMap<>();
        for (var e : values.entrySet()) {
            double[] v = e.getValue().clone();
            double[] d = direction.get(e.getKey());
            for (int i = 0; i < v.length; i++) {
                v[i] += h * d[i];
            }
            out.put(e.getKey(), v);
        }
        return out;
    }

    @Test
    void untiedGqaWithLlama3Scaling() {
        var scaling = new RopeFrequencies.Llama3Scaling(4, 1, 4, 8);
        checkGradients("untied GQA llama3", RandomLlama.config(12, 2, 6, 2, 4, 13, 23, 100, scaling, false), false);
    }

    @Test
    void tiedEmbeddings() {
        checkGradients("tied", RandomLlama.config(10, 2, 2, 1, 6, 9, 19, 10000, null, true), false);
    }

    @Test
    void recomputationGivesTheSameGradient() {
        checkGradients("recompute", RandomLlama.config(12, 2, 3, 1, 4, 11, 17, 500, new RopeFrequencies.Llama3Scaling(8, 1, 4, 4), false),
                true);
        long seed = TestTensors.freshSeed();
        LlamaConfig config = RandomLlama.config(16, 3, 4, 2, 4, 20, 31, 1000, null, false);
        Backend backend = BACKENDS.getFirst();
        try (TensorScope scope = backend.newScope()) {
            RandomLlama model = new RandomLlama(backend, scope, config, DType.F32, 0.3, seed);
            int[][] data = batch(new SplittableRandom(seed), 3, 9, config.vocabSize());
            float[][] grads = new float[2][];
            for (int mode = 0; mode < 2; mode++) {
                try (LlamaTraining tr = new LlamaTraining(backend, config, model.weights, LlamaTraining.Precision.FP32, 3, 9, mode == 1)) {
                    tr.zeroGradients();
                    tr.forwardBackward(data[0], data[1], 0.01f);
                    grads[mode] = flatten(backend, tr.gradients().byName().values());
                }
            }
            assertArrayEquals(grads[0], grads[1], "recomputation must not change the gradient (seed " + seed + ")");
        }
    }

    /** BF16 mode computes with the bf16-rounded masters: the gradient equals FP32 mode's on rounded weights. */
    @Test
    void bf16ModeMatchesFp32OnRoundedWeights() {
        long seed = TestTensors.freshSeed();
        LlamaConfig config = RandomLlama.config(16, 2, 4, 2, 4, 20, 31, 1000, null, false);
        Backend backend = BACKENDS.getFirst();
        try (TensorScope scope = backend.newScope()) {
            RandomLlama model = new RandomLlama(backend, scope, config, DType.F32, 0.3, seed);
            RandomLlama rounded = new RandomLlama(backend, scope, config, DType.BF16, 0.3, seed);
            var roundedF32 = org.emma4j.model.checkpoint.WeightTransfer.copyTo(rounded.weights, backend, scope, DType.F32);
            int[][] data = batch(new SplittableRandom(seed), 2, 8, config.vocabSize());
            float[] bf16Mode;
            float[] fp32Rounded;
            try (LlamaTraining tr = new LlamaTraining(backend, config, model.weights, LlamaTraining.Precision.BF16, 2, 8, false)) {
                // The masters are the unrounded values; the compute copies are their bf16 rounding = rounded.values.
                tr.zeroGradients();
                tr.forwardBackward(data[0], data[1], 0.05f);
                bf16Mode = flatten(backend, tr.gradients().byName().values());
            }
            try (LlamaTraining tr = new LlamaTraining(backend, config, roundedF32, LlamaTraining.Precision.FP32, 2, 8, false)) {
                tr.zeroGradients();
                tr.forwardBackward(data[0], data[1], 0.05f);
                fp32Rounded = flatten(backend, tr.gradients().byName().values());
            }
            // Same values, different operand path (bf16 widening vs f32): equal up to float32 reassociation.
            TestTensors.assertClose("bf16-mode gradient", seed, TestTensors.toDouble(fp32Rounded), bf16Mode, 1e-4, 1e-6);
        }
    }

    static float[] flatten(Backend backend, java.util.Collection<Tensor> tensors) {
        int n = 0;
        for (Tensor t : tensors) {
            n += (int) t.size();
        }
        float[] out = new float[n];
        int at = 0;
        for (Tensor t : tensors) {
            float[] v = backend.toFloats(t);
            System.arraycopy(v, 0, out, at, v.length);
            at += v.length;
        }
        return out;
    }
}
