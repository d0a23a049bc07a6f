package org.emma4j.kernels.reference;

import org.emma4j.kernels.AdamWStep;

/**
 * One AdamW step in float64, in the order of PyTorch's torch.optim.AdamW (single-tensor path):
 * param.mul_(1 − lr·wd); exp_avg.lerp_(grad, 1 − β1); exp_avg_sq.mul_(β2).addcmul_(grad, grad, 1 − β2);
 * denom = sqrt(exp_avg_sq)/sqrt(1 − β2^t) + eps; param.addcdiv_(exp_avg, denom, −lr/(1 − β1^t)).
 * The gradient is first multiplied by gradScale (how clipping folds in).
 */
public final class AdamWReference {
    private AdamWReference() {
    }

    /** Updates p, m and v in place from grad. */
    public static void step(double[] p, double[] m, double[] v, double[] grad, AdamWStep s) {
        double lr = s.lr();
        double b1 = s.beta1();
        double b2 = s.beta2();
        double bias1 = 1 - Math.pow(b1, s.step());
        double bias2 = 1 - Math.pow(b2, s.step());
        for (int i = 0; i < p.length; i++) {
            double g = grad[i] * (double) s.gradScale();
            p[i] *= 1 - lr * s.weightDecay();
            m[i] += (g - m[i]) * (1 - b1);
            v[i] = v[i] * b2 + g * g * (1 - b2);
            double denom = Math.sqrt(v[i]) / Math.sqrt(bias2) + s.eps();
            p[i] -= lr / bias1 * m[i] / denom;
        }
    }
}
