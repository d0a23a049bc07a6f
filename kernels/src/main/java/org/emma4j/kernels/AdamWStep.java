package org.emma4j.kernels;

/**
 * One AdamW update's settings. {@code step} counts from 1 and drives bias correction;
 * {@code gradScale} multiplies the gradient first (gradient clipping folds in here).
 * Update, per element: g = gradScale·grad; m = β1·m + (1-β1)·g; v = β2·v + (1-β2)·g²;
 * m̂ = m / (1-β1^step); v̂ = v / (1-β2^step); p = p - lr·(m̂ / (√v̂ + ε) + weightDecay·p).
 * Weight decay is decoupled (applied to the parameter, not the gradient), as in PyTorch's AdamW.
 */
public record AdamWStep(float lr, float beta1, float beta2, float eps, float weightDecay, long step, float gradScale) {
    public AdamWStep {
        if (step < 1) {
            throw new IllegalArgumentException("AdamW step counts from 1, found " + step);
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("AdamW betas must lie in [0, 1), found beta1=" + beta1 + ", beta2=" + beta2);
        }
    }

    public AdamWStep withLr(float newLr) {
        return new AdamWStep(newLr, beta1, beta2, eps, weightDecay, step, gradScale);
    }

    public AdamWStep withWeightDecay(float wd) {
        return new AdamWStep(lr, beta1, beta2, eps, wd, step, gradScale);
    }
}
