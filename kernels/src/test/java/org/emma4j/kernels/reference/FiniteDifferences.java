package org.emma4j.kernels.reference;

import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * Central finite differences in double, the independent check on every analytic backward reference:
 * ∂f/∂x[i] ≈ (f(x + h·e_i) − f(x − h·e_i)) / 2h, whose error is O(h²) plus rounding of order ε·|f|/h.
 */
public final class FiniteDifferences {
    private FiniteDifferences() {
    }

    /** The step the op tests use: with h = 1e-5 the truncation error (~h²) and the rounding error (~1e-16/h) both stay below 1e-9. */
    public static final double STEP = 1e-5;

    /**
     * The numerical gradient of {@code f} at {@code x} in the coordinates {@code indices} (x is restored
     * after each probe); entry j of the result belongs to {@code indices[j]}.
     */
    public static double[] gradient(ToDoubleFunction<double[]> f, double[] x, int[] indices, double h) {
        double[] g = new double[indices.length];
        for (int j = 0; j < indices.length; j++) {
            int i = indices[j];
            double saved = x[i];
            x[i] = saved + h;
            double plus = f.applyAsDouble(x);
            x[i] = saved - h;
            double minus = f.applyAsDouble(x);
            x[i] = saved;
            g[j] = (plus - minus) / (2 * h);
        }
        return g;
    }

    /** Every index of an array of length n when n ≤ max, else {@code max} distinct random ones (the first and last always among them). */
    public static int[] probeIndices(SplittableRandom rnd, int n, int max) {
        if (n <= max) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] picked = rnd.ints(0, n).distinct().limit(max).toArray();
        picked[0] = 0;
        picked[max - 1] = n - 1;
        return picked;
    }

    /** The entries of {@code values} at {@code indices}. */
    public static double[] pick(double[] values, int[] indices) {
        double[] out = new double[indices.length];
        for (int j = 0; j < indices.length; j++) {
            out[j] = values[indices[j]];
        }
        return out;
    }

    /** Σ a∘b, the scalar loss L = ⟨dy, y⟩ whose gradient a backward pass computes. */
    public static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
