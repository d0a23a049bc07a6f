package org.emma4j.kernels.reference;

/**
 * Float64 causal grouped-query attention, written the naive way on purpose (a full softmax per row, no
 * blocking) so that it shares nothing with the kernels it checks. Layouts: q and out [B, Tq, Hq, D],
 * k and v [B, Tk, Hkv, D], lse [B, Hq, Tq]; query t sits at position qPos0 + t and sees keys 0 .. qPos0 + t.
 */
public final class AttentionReference {
    private AttentionReference() {
    }

    /** The dimensions of one attention call. */
    public record Dims(int batch, int tq, int tk, int hq, int hkv, int headDim, int qPos0) {
        public int group() {
            return hq / hkv;
        }

        public int querySize() {
            return batch * tq * hq * headDim;
        }

        public int keySize() {
            return batch * tk * hkv * headDim;
        }

        public int lseSize() {
            return batch * hq * tq;
        }

        /** One past the last key position any query reads. */
        public int keyEnd() {
            return qPos0 + tq;
        }

        int q(int b, int t, int h) {
            return ((b * tq + t) * hq + h) * headDim;
        }

        int k(int b, int j, int h) {
            return ((b * tk + j) * hkv + h) * headDim;
        }
    }

    public record Forward(double[] out, double[] lse) {
    }

    public record Gradients(double[] dq, double[] dk, double[] dv) {
    }

    public static Forward forward(Dims d, double[] q, double[] k, double[] v, double scale) {
        double[] out = new double[d.querySize()];
        double[] lse = new double[d.lseSize()];
        double[] p = new double[d.keyEnd()];
        for (int b = 0; b < d.batch(); b++) {
            for (int h = 0; h < d.hq(); h++) {
                int kvh = h / d.group();
                for (int t = 0; t < d.tq(); t++) {
                    int visible = d.qPos0() + t + 1;
                    double logSum = probabilities(d, q, k, scale, b, h, kvh, t, visible, p);
                    lse[(b * d.hq() + h) * d.tq() + t] = logSum;
                    int o = d.q(b, t, h);
                    for (int j = 0; j < visible; j++) {
                        int kv = d.k(b, j, kvh);
                        for (int i = 0; i < d.headDim(); i++) {
                            out[o + i] += p[j] * v[kv + i];
                        }
                    }
                }
            }
        }
        return new Forward(out, lse);
    }

    /**
     * The analytic gradient of {@code Σ dout ∘ out} with respect to q, k and v:
     * dv_j = Σ_t p_tj dout_t; dS_tj = p_tj (dout_t·v_j − Σ_j' p_tj' dout_t·v_j'); dq_t = scale Σ_j dS_tj k_j;
     * dk_j = scale Σ_t dS_tj q_t. Entries of k and v past the last visible key get zero.
     */
    public static Gradients backward(Dims d, double[] dout, double[] q, double[] k, double[] v, double scale) {
        double[] dq = new double[d.querySize()];
        double[] dk = new double[d.keySize()];
        double[] dv = new double[d.keySize()];
        double[] p = new double[d.keyEnd()];
        double[] dp = new double[d.keyEnd()];
        for (int b = 0; b < d.batch(); b++) {
            for (int h = 0; h < d.hq(); h++) {
                int kvh = h / d.group();
                for (int t = 0; t < d.tq(); t++) {
                    int visible = d.qPos0() + t + 1;
                    probabilities(d, q, k, scale, b, h, kvh, t, visible, p);
                    int o = d.q(b, t, h);
                    double correction = 0;
                    for (int j = 0; j < visible; j++) {
                        int kv = d.k(b, j, kvh);
                        double dot = 0;
                        for (int i = 0; i < d.headDim(); i++) {
                            dot += dout[o + i] * v[kv + i];
                            dv[kv + i] += p[j] * dout[o + i];
                        }
                        dp[j] = dot;
                        correction += p[j] * dot;
                    }
                    for (int j = 0; j < visible; j++) {
                        int kv = d.k(b, j, kvh);
                        double ds = p[j] * (dp[j] - correction) * scale;
                        for (int i = 0; i < d.headDim(); i++) {
                            dq[o + i] += ds * k[kv + i];
                            dk[kv + i] += ds * q[o + i];
                        }
                    }
                }
            }
        }
        return new Gradients(dq, dk, dv);
    }

    /** Fills p[0 .. visible) with the softmax of the scaled scores of row (b, h, t); returns their log-sum-exp. */
    private static double probabilities(Dims d, double[] q, double[] k, double scale, int b, int h, int kvh, int t,
                                        int visible, double[] p) {
        int o = d.q(b, t, h);
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < visible; j++) {
            int kv = d.k(b, j, kvh);
            double s = 0;
            for (int i = 0; i < d.headDim(); i++) {
                s += q[o + i] * k[kv + i];
            }
            p[j] = s * scale;
            max = Math.max(max, p[j]);
        }
        double sum = 0;
        for (int j = 0; j < visible; j++) {
            p[j] = Math.exp(p[j] - max);
            sum += p[j];
        }
        for (int j = 0; j < visible; j++) {
            p[j] /= sum;
        }
        return max + Math.log(sum);
    }
}
