package org.emma4j.kernels.reference;

/** The whole-tensor elementwise ops in float64. */
public final class ElementwiseReference {
    private ElementwiseReference() {
    }

    /** sqrt(Σ x²) over every array. */
    public static double globalL2Norm(double[]... tensors) {
        double s = 0;
        for (double[] t : tensors) {
            for (double x : t) {
                s += x * x;
            }
        }
        return Math.sqrt(s);
    }

    public static double[] scale(double[] x, double s) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] * s;
        }
        return y;
    }

    public static double[] add(double[] a, double[] b) {
        double[] y = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            y[i] = a[i] + b[i];
        }
        return y;
    }
}
