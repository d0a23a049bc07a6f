package org.emma4j.model.train;

import java.util.List;
import org.emma4j.kernels.AdamWStep;
import org.emma4j.kernels.Backend;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorScope;
import org.emma4j.model.checkpoint.LlamaWeights;

/**
 * AdamW over all of a model's weights: F32 moments, decoupled weight decay (none on the RMSNorm gains,
 * which are the 1-D tensors), clipping by the global gradient norm, and a step that is skipped, not applied,
 * when the gradient norm is NaN or infinite.
 */
public final class AdamW {

    /**
     * @param beta1        first-moment decay
     * @param beta2        second-moment decay
     * @param eps          added to √v̂
     * @param weightDecay  decoupled decay of matrices and embeddings
     * @param maxGradNorm  clip the global gradient norm to this (≤ 0: no clipping)
     */
    public record Settings(float beta1, float beta2, float eps, float weightDecay, float maxGradNorm) {
        public static Settings defaults() {
            return new Settings(0.9f, 0.95f, 1e-8f, 0.1f, 1.0f);
        }
    }

    /** What a step did: the gradient norm before clipping, and whether the update was applied. */
    public record StepReport(double gradNorm, boolean applied, long step) {
    }

    private final Backend backend;
    private final LlamaWeights firstMoment;
    private final LlamaWeights secondMoment;
    private long step;

    /** Zeroed moments for {@code master}, in {@code scope}. */
    public AdamW(Backend backend, TensorScope scope, LlamaWeights master) {
        this.backend = backend;
        this.firstMoment = ParameterTensors.allocateLike(master, scope, DType.F32, ".exp_avg");
        this.secondMoment = ParameterTensors.allocateLike(master, scope, DType.F32, ".exp_avg_sq");
    }

    /** Updates taken so far (the bias-correction counter). */
    public long steps() {
        return step;
    }

    /** Restores the counter (resume; the moments are restored through {@link #firstMoment()} / {@link #secondMoment()}). */
    public void setSteps(long steps) {
        this.step = steps;
    }

    public LlamaWeights firstMoment() {
        return firstMoment;
    }

    public LlamaWeights secondMoment() {
        return secondMoment;
    }

    /**
     * One update of {@code master} from {@code grads} at learning rate {@code lr}; {@code computeCopy} (BF16
     * compute weights, or null) receives the new values. Nothing changes when the gradient norm is not finite.
     */
    public StepReport step(LlamaWeights master, LlamaWeights grads, LlamaWeights computeCopy, float lr, Settings s) {
        List<Tensor> params = ParameterTensors.list(master);
        List<Tensor> g = ParameterTensors.list(grads);
        List<Tensor> m = ParameterTensors.list(firstMoment);
        List<Tensor> v = ParameterTensors.list(secondMoment);
        List<Tensor> copies = computeCopy == null || computeCopy == master ? null : ParameterTensors.list(computeCopy);
        double norm = backend.globalL2Norm(g);
        if (!Double.isFinite(norm)) {
            return new StepReport(norm, false, step);
        }
        float clip = s.maxGradNorm() > 0 && norm > s.maxGradNorm() ? (float) (s.maxGradNorm() / norm) : 1f;
        step++;
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            float decay = p.rank() == 1 ? 0f : s.weightDecay();
            var update = new AdamWStep(lr, s.beta1(), s.beta2(), s.eps(), decay, step, clip);
            backend.adamw(p, g.get(i), m.get(i), v.get(i), update, copies == null ? null : copies.get(i));
        }
        return new StepReport(norm, true, step);
    }
}
