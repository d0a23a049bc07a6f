package org.emma4j.kernels.reference;

/** Embedding lookup and its scatter-add, in float64. */
public final class EmbeddingReference {
    private EmbeddingReference() {
    }

    /** out[n, :] = table[ids[n], :] for a table of {@code cols} columns. */
    public static double[] forward(double[] table, int cols, int[] ids) {
        double[] out = new double[ids.length * cols];
        for (int n = 0; n < ids.length; n++) {
            System.arraycopy(table, ids[n] * cols, out, n * cols, cols);
        }
        return out;
    }

    /** dtable[ids[n], :] += dout[n, :], starting from zero: the gradient of L = Σ dout∘out. */
    public static double[] backward(double[] dout, int[] ids, int vocab, int cols) {
        double[] dtable = new double[vocab * cols];
        for (int n = 0; n < ids.length; n++) {
            for (int c = 0; c < cols; c++) {
                dtable[ids[n] * cols + c] += dout[n * cols + c];
            }
        }
        return dtable;
    }
}
