package org.emma4j.kernels.reference;

/** RMSNorm in float64, row by row, straight from the formulas: the truth the kernels are held to. */
public final class RmsNormReference {
    private RmsNormReference() {
    }

    /** y = x·rstd·w with rstd = 1/sqrt(mean(x²) + eps), per row of {@code cols}; rstd per row in {@code rstdOut} when non-null. */
    public static double[] forward(double[] x, double[] w, int rows, int cols, double eps, double[] rstdOut) {
        double[] y = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            double rstd = rstd(x, r, cols, eps);
            if (rstdOut != null) {
                rstdOut[r] = rstd;
            }
            for (int c = 0; c < cols; c++) {
                y[r * cols + c] = x[r * cols + c] * rstd * w[c];
            }
        }
        return y;
    }

    /** The gradients of L = Σ dy∘y: dx and dweight (not accumulated: the tests add the starting values). */
    public record Grads(double[] dx, double[] dweight) {
    }

    /**
     * dx = rstd·(w∘dy) − x·rstd³·mean(x∘w∘dy), dweight = Σ_rows dy∘x·rstd, rstd recomputed in double.
     */
    public static Grads backward(double[] x, double[] w, double[] dy, int rows, int cols, double eps) {
        double[] dx = new double[rows * cols];
        double[] dw = new double[cols];
        for (int r = 0; r < rows; r++) {
            double rstd = rstd(x, r, cols, eps);
            double dot = 0;
            for (int c = 0; c < cols; c++) {
                dot += x[r * cols + c] * w[c] * dy[r * cols + c];
            }
            double coef = rstd * rstd * rstd * dot / cols;
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                dx[i] = rstd * w[c] * dy[i] - x[i] * coef;
                dw[c] += dy[i] * x[i] * rstd;
            }
        }
        return new Grads(dx, dw);
    }

    private static double rstd(double[] x, int r, int cols, double eps) {
        double ss = 0;
        for (int c = 0; c < cols; c++) {
            ss += x[r * cols + c] * x[r * cols + c];
        }
        return 1 / Math.sqrt(ss / cols + eps);
    }
}
