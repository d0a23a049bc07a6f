package org.emma4j.kernels.reference;

/** Softmax cross-entropy in float64 with the max subtracted, so it is exact to ~1e-15 for any finite logits. */
public final class CrossEntropyReference {
    private CrossEntropyReference() {
    }

    /** Per row: logsumexp(row) − row[label], or 0 where label == ignoreIndex. */
    public static double[] losses(double[] logits, int rows, int vocab, int[] labels, int ignoreIndex) {
        double[] loss = new double[rows];
        for (int r = 0; r < rows; r++) {
            if (labels[r] != ignoreIndex) {
                loss[r] = logSumExp(logits, r * vocab, vocab) - logits[r * vocab + labels[r]];
            }
        }
        return loss;
    }

    /** d(lossScale·Σ losses)/dlogits = (softmax − onehot)·lossScale per row, zero rows where ignored. */
    public static double[] gradient(double[] logits, int rows, int vocab, int[] labels, double lossScale, int ignoreIndex) {
        double[] d = new double[rows * vocab];
        for (int r = 0; r < rows; r++) {
            if (labels[r] == ignoreIndex) {
                continue;
            }
            double lse = logSumExp(logits, r * vocab, vocab);
            for (int c = 0; c < vocab; c++) {
                double p = Math.exp(logits[r * vocab + c] - lse);
                d[r * vocab + c] = (p - (c == labels[r] ? 1 : 0)) * lossScale;
            }
        }
        return d;
    }

    /** lossScale · Σ_rows loss: the scalar whose gradient {@link #gradient} is. */
    public static double scaledTotal(double[] logits, int rows, int vocab, int[] labels, double lossScale, int ignoreIndex) {
        double s = 0;
        for (double l : losses(logits, rows, vocab, labels, ignoreIndex)) {
            s += l;
        }
        return s * lossScale;
    }

    private static double logSumExp(double[] x, int base, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, x[base + i]);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Math.exp(x[base + i] - max);
        }
        return max + Math.log(sum);
    }
}
