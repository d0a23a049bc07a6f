package org.emma4j.kernels.reference;

/**
 * Float64 scalar reference of {@code Backend.matmul}: {@code c = alpha · op(a) · op(b) + beta · c}, batched like
 * the backend (an operand of rank 2 is shared by every batch entry). Besides the product it returns, per element,
 * the magnitude {@code |alpha| · Σ_k |op(a)[i,k]| · |op(b)[k,j]| + |beta · c[i,j]|} that float32 rounding errors
 * scale with, so tests can state tolerances relative to it.
 */
public final class MatmulReference {
    private MatmulReference() {
    }

    /** The exact (float64) result and the magnitude its rounding error is measured against. */
    public record Product(double[] value, double[] magnitude) {
    }

    /**
     * @param a      the stored elements of a, row-major, shape {@code aShape} (rank 2, or c's batch dims + 2)
     * @param b      the stored elements of b, likewise
     * @param c      c's elements before the call; not read when {@code beta == 0} (it may hold NaN)
     * @param cShape c's shape [..., M, N]
     */
    public static Product matmul(float[] c, long[] cShape, float[] a, long[] aShape, boolean transA,
                                 float[] b, long[] bShape, boolean transB, double alpha, double beta) {
        int rank = cShape.length;
        int m = (int) cShape[rank - 2];
        int n = (int) cShape[rank - 1];
        int aRows = (int) aShape[aShape.length - 2];
        int aCols = (int) aShape[aShape.length - 1];
        int bRows = (int) bShape[bShape.length - 2];
        int bCols = (int) bShape[bShape.length - 1];
        int k = transA ? aRows : aCols;
        int batch = 1;
        for (int d = 0; d < rank - 2; d++) {
            batch *= (int) cShape[d];
        }
        int aStride = aShape.length == 2 ? 0 : aRows * aCols;
        int bStride = bShape.length == 2 ? 0 : bRows * bCols;
        double[] value = new double[batch * m * n];
        double[] magnitude = new double[value.length];
        for (int e = 0; e < batch; e++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    double abs = 0;
                    for (int kk = 0; kk < k; kk++) {
                        double x = a[e * aStride + (transA ? kk * aCols + i : i * aCols + kk)];
                        double y = b[e * bStride + (transB ? j * bCols + kk : kk * bCols + j)];
                        sum += x * y;
                        abs += Math.abs(x * y);
                    }
                    int at = (e * m + i) * n + j;
                    double prior = beta == 0 ? 0 : beta * c[at];
                    value[at] = alpha * sum + prior;
                    magnitude[at] = Math.abs(alpha) * abs + Math.abs(prior);
                }
            }
        }
        return new Product(value, magnitude);
    }
}
