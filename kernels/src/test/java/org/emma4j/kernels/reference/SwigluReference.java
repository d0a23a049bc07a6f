package org.emma4j.kernels.reference;

/** SwiGLU in float64: h = silu(g)·u with silu(g) = g·σ(g). */
public final class SwigluReference {
    private SwigluReference() {
    }

    public static double sigmoid(double g) {
        return 1 / (1 + Math.exp(-g));
    }

    public static double[] forward(double[] g, double[] u) {
        double[] h = new double[g.length];
        for (int i = 0; i < g.length; i++) {
            h[i] = g[i] * sigmoid(g[i]) * u[i];
        }
        return h;
    }

    /** The gradients of L = Σ dh∘h (not accumulated). */
    public record Grads(double[] dgate, double[] dup) {
    }

    /** dgate = dh·u·σ(g)·(1 + g·(1 − σ(g))), dup = dh·g·σ(g). */
    public static Grads backward(double[] g, double[] u, double[] dh) {
        double[] dg = new double[g.length];
        double[] du = new double[g.length];
        for (int i = 0; i < g.length; i++) {
            double s = sigmoid(g[i]);
            dg[i] = dh[i] * u[i] * s * (1 + g[i] * (1 - s));
            du[i] = dh[i] * g[i] * s;
        }
        return new Grads(dg, du);
    }
}
