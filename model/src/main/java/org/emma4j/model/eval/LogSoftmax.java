package org.emma4j.model.eval;

/** Log-probabilities from float logits, computed in double on the host. */
public final class LogSoftmax {
    private LogSoftmax() {
    }

    /** log Σ exp(row[i]) over {@code row[offset .. offset+length)}, stable (shifted by the maximum). */
    public static double logSumExp(float[] row, int offset, int length) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < length; i++) {
            max = Math.max(max, row[offset + i]);
        }
        double sum = 0;
        for (int i = 0; i < length; i++) {
            sum += Math.exp(row[offset + i] - max);
        }
        return max + Math.log(sum);
    }

    /** log p(target) under the softmax of {@code row[offset .. offset+length)}. */
    public static double logProb(float[] row, int offset, int length, int target) {
        return row[offset + target] - logSumExp(row, offset, length);
    }

    /** The first index of the largest value in the row (torch's argmax on a float row). */
    public static int argmax(float[] row, int offset, int length) {
        int best = 0;
        for (int i = 1; i < length; i++) {
            if (row[offset + i] > row[offset + best]) {
                best = i;
            }
        }
        return best;
    }
}
