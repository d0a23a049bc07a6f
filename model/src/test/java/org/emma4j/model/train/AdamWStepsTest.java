package org.emma4j.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.emma4j.kernels.Backend;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorScope;
import org.emma4j.kernels.TestTensors;
import org.emma4j.kernels.cpu.CpuBackend;
import org.emma4j.model.config.LlamaConfig;
import org.emma4j.model.llama.RandomLlama;
import org.junit.jupiter.api.Test;

/**
 * Several optimizer steps of the whole model with gradient accumulation, against the AdamW formula in
 * float64 (PyTorch's AdamW: decoupled decay, bias correction, no decay on 1-D norm gains, clipping by the
 * global norm). The per-micro-batch gradient sums come from the model (their correctness is
 * {@link LlamaTrainingGradientTest}'s job). The gradient the step accumulates must be their mean over every
 * labelled token of the global batch (float64 reference, tolerance 1e-3 of the size of the summed terms), and
 * what the step does with it — the global norm, clipping, moments, bias correction, decay — is recomputed here
 * in double. Micro-batches have different numbers of labelled tokens and the clip factor changes from step to
 * step, so a mean of per-batch means or a clipping-scale bug changes the result by far more than the
 * tolerances (update: |Δp| ≤ 1e-6·|p| + 1e-3·lr).
 */
class AdamWStepsTest {

    @Test
    void severalStepsMatchFloat64Reference() {
        long seed = TestTensors.freshSeed();
        LlamaConfig config = RandomLlama.config(12, 2, 4, 2, 3 * 2, 14, 29, 1000, null, false);
        int b = 2;
        int t = 6;
        float lr = 3e-3f;
        var settings = new AdamW.Settings(0.9f, 0.95f, 1e-8f, 0.1f, 0.3f);
        try (Backend backend = new CpuBackend(2); TensorScope scope = backend.newScope()) {
            RandomLlama model = new RandomLlama(backend, scope, config, DType.F32, 0.3, seed);
            SplittableRandom rnd = new SplittableRandom(seed);
            try (LlamaTraining training = new LlamaTraining(backend, config, model.weights, LlamaTraining.Precision.FP32, b, t, false);
                 TensorScope optScope = backend.newScope()) {
                AdamW adam = new AdamW(backend, optScope, model.weights);
                List<Tensor> params = List.copyOf(model.weights.byName().values());
                int n = 0;
                for (Tensor p : params) {
                    n += (int) p.size();
                }
                double[] m = new double[n];
                double[] v = new double[n];
                boolean sawClip = false;
                for (int step = 1; step <= 4; step++) {
                    List<MicroBatch> micro = new ArrayList<>();
                    for (int k = 0; k < 2; k++) {
                        int[][] data = LlamaTrainingGradientTest.batch(rnd, b, t, config.vocabSize());
                        if (k == 1) {
                            for (int i = 0; i < data[1].length; i += 2) {
                                data[1][i] = LlamaTraining.IGNORE_INDEX; // fewer labelled tokens in the second micro-batch
                            }
                        }
                        micro.add(new MicroBatch(data[0], data[1]));
                    }
                    // Reference inputs: the current parameters and each micro-batch's gradient of its loss *sum*.
                    double[] p0 = TestTensors.toDouble(LlamaTrainingGradientTest.flatten(backend, params));
                    double[] gSum = new double[n];
                    double[] gAbs = new double[n];
                    long tokens = 0;
                    for (MicroBatch mb : micro) {
                        training.zeroGradients();
                        training.forwardBackward(mb.inputs(), mb.labels(), 1f);
                        float[] g = LlamaTrainingGradientTest.flatten(backend, training.gradients().byName().values());
                        for (int i = 0; i < n; i++) {
                            gSum[i] += g[i];
                            gAbs[i] += Math.abs(g[i]);
                        }
                        tokens += mb.labelledTokens();
                    }

                    var result = GlobalBatchStep.run(training, adam, micro, lr, settings);
                    assertTrue(result.update().applied());
                    assertEquals(tokens, result.tokens());

                    // The gradient the optimizer saw (the step leaves it in place) is the mean over the global batch's
                    // labelled tokens. The model computes it with the 1/tokens scale inside the backward pass and
                    // accumulates in float32, so it matches the float64 mean of the unscaled sums only to float
                    // rounding of the cancelling sums inside the backward pass: tolerance 1e-3 of the size of the
                    // summed terms plus 1e-5 of the largest element, far below the error of a mean of per-batch means.
                    float[] acc = LlamaTrainingGradientTest.flatten(backend, training.gradients().byName().values());
                    double largest = 0;
                    for (int i = 0; i < n; i++) {
                        largest = Math.max(largest, Math.abs(gSum[i] / tokens));
                    }
                    for (int i = 0; i < n; i++) {
                        double want = gSum[i] / tokens;
                        if (!(Math.abs(acc[i] - want) <= 1e-3 * gAbs[i] / tokens + 1e-5 * largest)) {
                            throw new AssertionError("step " + step + ", gradient element " + i + ": " + acc[i] + " vs float64 " + want
                                    + " (terms of size " + gAbs[i] / tokens + "); seed " + seed);
                        }
                    }
                    // The update from that gradient in float64. (From the float64 mean instead, an element with |g|
                    // near eps, where g / (|g| + eps) is steep, would fail on the accumulation's rounding alone.)
                    double norm = 0;
                    for (int i = 0; i < n; i++) {
                        norm += (double) acc[i] * acc[i];
                    }
                    norm = Math.sqrt(norm);
                    assertEquals(norm, result.update().gradNorm(), 1e-5 * norm, "global gradient norm at step " + step);
                    double clip = norm > settings.maxGradNorm() ? settings.maxGradNorm() / norm : 1;
                    sawClip |= clip < 1;
                    double[] expected = new double[n];
                    int at = 0;
                    for (Tensor p : params) {
                        double wd = p.rank() == 1 ? 0 : settings.weightDecay();
                        for (int i = 0; i < p.size(); i++, at++) {
                            double g = acc[at] * clip;
                            m[at] = settings.beta1() * m[at] + (1 - settings.beta1()) * g;
                            v[at] = settings.beta2() * v[at] + (1 - settings.beta2()) * g * g;
                            double mHat = m[at] / (1 - Math.pow(settings.beta1(), step));
                            double vHat = v[at] / (1 - Math.pow(settings.beta2(), step));
                            expected[at] = p0[at] * (1 - lr * wd) - lr * mHat / (Math.sqrt(vHat) + settings.eps());
                        }
                    }
                    float[] got = LlamaTrainingGradientTest.flatten(backend, params);
                    for (int i = 0; i < n; i++) {
                        double tol = 1e-6 * Math.abs(expected[i]) + 1e-3 * lr;
                        if (!(Math.abs(got[i] - expected[i]) <= tol)) {
                            throw new AssertionError("step " + step + ", parameter element " + i + ": " + got[i] + " vs float64 "
                                    + expected[i] + " (before the step " + p0[i] + "); seed " + seed);
                        }
                    }
                }
                assertTrue(sawClip, "the test must exercise clipping (seed " + seed + ")");
            }
        }
    }

    @Test
    void nonFiniteStepIsNotApplied() {
        long seed = TestTensors.freshSeed();
        LlamaConfig config = RandomLlama.config(8, 1, 2, 1, 4, 10, 13, 1000, null, false);
        try (Backend backend = new CpuBackend(2); TensorScope scope = backend.newScope()) {
            RandomLlama model = new RandomLlama(backend, scope, config, DType.F32, 0.3, seed);
            try (LlamaTraining training = new LlamaTraining(backend, config, model.weights, LlamaTraining.Precision.FP32, 1, 4, false);
                 TensorScope optScope = backend.newScope()) {
                AdamW adam = new AdamW(backend, optScope, model.weights);
                // A NaN in one weight poisons the loss and the gradient.
                Tensor norm = model.weights.norm();
                float[] values = backend.toFloats(norm);
                values[3] = Float.NaN;
                backend.fromFloats(norm, values);
                float[] before = LlamaTrainingGradientTest.flatten(backend, model.weights.byName().values());
                var result = GlobalBatchStep.run(training, adam, List.of(new MicroBatch(new int[] {1, 2, 3, 4}, new int[] {2, 3, 4, 5})),
                        1e-2f, AdamW.Settings.defaults());
                assertFalse(result.update().applied());
                assertFalse(Double.isFinite(result.loss()));
                assertEquals(0, adam.steps());
                float[] after = LlamaTrainingGradientTest.flatten(backend, model.weights.byName().values());
                assertEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(after), "weights must be untouched");
            }
        }
    }

    /** A tiny model memorises one fixed batch: the loss goes from ~ln(vocab) to near zero. */
    @Test
    void tinyModelDrivesLossOnFixedBatchTowardsZero() {
        long seed = TestTensors.freshSeed();
        LlamaConfig config = RandomLlama.config(32, 2, 4, 2, 8, 64, 37, 10000, null, true);
        try (Backend backend = new CpuBackend(2); TensorScope scope = backend.newScope()) {
            RandomLlama model = new RandomLlama(backend, scope, config, DType.F32, 0.1, seed);
            int[][] data = LlamaTrainingGradientTest.batch(new SplittableRandom(seed), 2, 16, config.vocabSize());
            var settings = new AdamW.Settings(0.9f, 0.95f, 1e-8f, 0f, 1f);
            try (LlamaTraining training = new LlamaTraining(backend, config, model.weights, LlamaTraining.Precision.FP32, 2, 16, false);
                 TensorScope optScope = backend.newScope()) {
                AdamW adam = new AdamW(backend, optScope, model.weights);
                double first = Double.NaN;
                double last = Double.NaN;
                for (int step = 0; step < 200; step++) {
                    var r = GlobalBatchStep.run(training, adam, List.of(new MicroBatch(data[0], data[1])), 1e-2f, settings);
                    if (step == 0) {
                        first = r.loss();
                    }
                    last = r.loss();
                }
                assertTrue(first > 2.0, "initial loss should be near ln(37) = 3.6, was " + first);
                assertTrue(last < 0.05, "after 200 steps on one batch the loss should be near zero, was " + last + " (seed " + seed + ")");
            }
        }
    }
}
