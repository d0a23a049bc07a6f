package org.emma4j.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.emma4j.kernels.Backend;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorScope;
import org.emma4j.kernels.TestTensors;
import org.emma4j.kernels.cpu.CpuBackend;
import org.emma4j.model.config.LlamaConfig;
import org.emma4j.model.config.LlamaShapes;
import org.emma4j.model.llama.RandomLlama;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What exact resume rests on: with a fixed thread count, the CPU forward/backward pass, the global gradient
 * norm and the AdamW step give bit-identical results every time they run on the same inputs, whatever the
 * threads' timing. Repeated runs on one set of weights are compared bit for bit (no tolerance).
 */
class TrainingDeterminismTest {

    @ParameterizedTest
    @EnumSource(LlamaTraining.Precision.class)
    void gradientsNormAndUpdateAreBitIdenticalRunToRun(LlamaTraining.Precision precision) {
        long seed = TestTensors.freshSeed();
        LlamaConfig config = LlamaShapes.resolve(TinyRuns.SHAPE);
        int b = 3;
        int t = 33;
        SplittableRandom rnd = new SplittableRandom(seed);
        int[][] data = LlamaTrainingGradientTest.batch(rnd, b, t, config.vocabSize());
        try (Backend backend = new CpuBackend(2); TensorScope scope = backend.newScope()) {
            RandomLlama model = new RandomLlama(backend, scope, config, DType.F32, 0.3, seed);
            float[] initial = LlamaTrainingGradientTest.flatten(backend, model.weights.byName().values());
            int[] firstGrads = null;
            double firstNorm = 0;
            int[] firstUpdate = null;
            for (int run = 0; run < 12; run++) {
                restore(backend, model.weights.byName().values(), initial);
                try (LlamaTraining training = new LlamaTraining(backend, config, model.weights, precision, b, t, run % 2 == 1);
                     TensorScope opt = backend.newScope()) {
                    training.zeroGradients();
                    training.forwardBackward(data[0], data[1], 1f / (b * t));
                    int[] grads = bits(LlamaTrainingGradientTest.flatten(backend, training.gradients().byName().values()));
                    double norm = backend.globalL2Norm(List.copyOf(training.gradients().byName().values()));
                    AdamW adam = new AdamW(backend, opt, model.weights);
                    adam.step(model.weights, training.gradients(), training.computeWeights(), 1e-3f, AdamW.Settings.defaults());
                    int[] update = bits(LlamaTrainingGradientTest.flatten(backend, model.weights.byName().values()));
                    if (firstGrads == null) {
                        firstGrads = grads;
                        firstNorm = norm;
                        firstUpdate = update;
                        continue;
                    }
                    String where = precision + " run " + run + (run % 2 == 1 ? " (recomputed activations)" : "") + "; seed " + seed;
                    assertEquals(firstDifference(firstGrads, grads, training.gradients().byName()), "none", "gradients, " + where);
                    assertEquals(Double.doubleToRawLongBits(firstNorm), Double.doubleToRawLongBits(norm), "global norm, " + where);
                    assertEquals(firstDifference(firstUpdate, update, model.weights.byName()), "none", "updated weights, " + where);
                }
            }
        }
    }

    private static void restore(Backend backend, java.util.Collection<Tensor> tensors, float[] values) {
        int at = 0;
        for (Tensor x : tensors) {
            backend.fromFloats(x, java.util.Arrays.copyOfRange(values, at, at + (int) x.size()));
            at += (int) x.size();
        }
    }

    private static int[] bits(float[] f) {
        int[] out = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = Float.floatToRawIntBits(f[i]);
        }
        return out;
    }

    /** The tensor and element of the first differing bit pattern, or "none". */
    private static String firstDifference(int[] a, int[] b, Map<String, Tensor> layout) {
        int at = 0;
        for (Map.Entry<String, Tensor> e : layout.entrySet()) {
            for (long i = 0; i < e.getValue().size(); i++, at++) {
                if (a[at] != b[at]) {
                    return e.getKey() + "[" + i + "]: " + Float.intBitsToFloat(a[at]) + " vs " + Float.intBitsToFloat(b[at]);
                }
            }
        }
        return "none";
    }
}
