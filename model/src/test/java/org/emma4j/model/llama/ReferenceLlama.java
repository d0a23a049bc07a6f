package org.emma4j.model.llama;

import java.util.Map;

/**
 * An independent float64 scalar Llama 3 forward pass, written straight from the Hugging Face modelling code
 * (LlamaForCausalLM): embedding, per layer RMSNorm → GQA attention with rotate-half RoPE → residual,
 * RMSNorm → SwiGLU MLP → residual, final RMSNorm, LM head (the embedding when tied). Everything is double;
 * RoPE frequencies, llama3 band rescaling and angles are computed in double too, so the only differences
 * from the implementation under test are its float32 arithmetic and rounding.
 */
public final class ReferenceLlama {

    /** The shape and hyper-parameters the reference needs, read off the model's config by the test. */
    public record Params(int dim, int layers, int heads, int kvHeads, int headDim, int ffn, int vocab, double eps,
                         double theta, boolean tied, double scaleFactor, double lowFreqFactor, double highFreqFactor,
                         int originalContext) {
        boolean llama3Scaling() {
            return scaleFactor > 0;
        }
    }

    private final Params p;
    private final Map<String, double[]> w;

    /** {@code weights} maps Hugging Face tensor names to their values (row-major, as float64). */
    public ReferenceLlama(Params p, Map<String, double[]> weights) {
        this.p = p;
        this.w = weights;
    }

    /** Logits [T, vocab] for the token sequence, positions 0..T-1. */
    public double[][] logits(int[] ids) {
        int T = ids.length;
        int D = p.dim;
        double[][] x = new double[T][D];
        double[] emb = get("model.embed_tokens.weight");
        for (int t = 0; t < T; t++) {
            System.arraycopy(emb, ids[t] * D, x[t], 0, D);
        }
        double[] invFreq = inverseFrequencies();
        for (int l = 0; l < p.layers; l++) {
            String pre = "model.layers." + l + ".";
            double[][] h = rmsNorm(x, get(pre + "input_layernorm.weight"));
            double[][] q = linear(h, get(pre + "self_attn.q_proj.weight"), p.heads * p.headDim);
            double[][] k = linear(h, get(pre + "self_attn.k_proj.weight"), p.kvHeads * p.headDim);
            double[][] v = linear(h, get(pre + "self_attn.v_proj.weight"), p.kvHeads * p.headDim);
            rope(q, p.heads, invFreq);
            rope(k, p.kvHeads, invFreq);
            double[][] attn = attention(q, k, v);
            double[][] o = linear(attn, get(pre + "self_attn.o_proj.weight"), D);
            addInto(x, o);
            double[][] h2 = rmsNorm(x, get(pre + "post_attention_layernorm.weight"));
            double[][] g = linear(h2, get(pre + "mlp.gate_proj.weight"), p.ffn);
            double[][] u = linear(h2, get(pre + "mlp.up_proj.weight"), p.ffn);
            for (int t = 0; t < T; t++) {
                for (int i = 0; i < p.ffn; i++) {
                    double gi = g[t][i];
                    g[t][i] = gi / (1 + Math.exp(-gi)) * u[t][i];
                }
            }
            addInto(x, linear(g, get(pre + "mlp.down_proj.weight"), D));
        }
        double[][] hf = rmsNorm(x, get("model.norm.weight"));
        double[] head = p.tied ? emb : get("lm_head.weight");
        return linear(hf, head, p.vocab);
    }

    private double[] get(String name) {
        double[] t = w.get(name);
        if (t == null) {
            throw new IllegalArgumentException("reference: no tensor " + name);
        }
        return t;
    }

    double[] inverseFrequencies() {
        int half = p.headDim / 2;
        double[] inv = new double[half];
        for (int i = 0; i < half; i++) {
            inv[i] = 1.0 / Math.pow(p.theta, (2.0 * i) / p.headDim);
        }
        if (!p.llama3Scaling()) {
            return inv;
        }
        double lowWavelen = p.originalContext / p.lowFreqFactor;
        double highWavelen = p.originalContext / p.highFreqFactor;
        for (int i = 0; i < half; i++) {
            double wavelen = 2 * Math.PI / inv[i];
            if (wavelen < highWavelen) {
                continue; // high frequency: kept
            }
            if (wavelen > lowWavelen) {
                inv[i] = inv[i] / p.scaleFactor; // low frequency: scaled
            } else {
                double smooth = (p.originalContext / wavelen - p.lowFreqFactor) / (p.highFreqFactor - p.lowFreqFactor);
                inv[i] = (1 - smooth) * inv[i] / p.scaleFactor + smooth * inv[i];
            }
        }
        return inv;
    }

    private double[][] rmsNorm(double[][] x, double[] weight) {
        double[][] y = new double[x.length][];
        for (int t = 0; t < x.length; t++) {
            double ss = 0;
            for (double v : x[t]) {
                ss += v * v;
            }
            double r = 1 / Math.sqrt(ss / x[t].length + p.eps);
            y[t] = new double[x[t].length];
            for (int i = 0; i < x[t].length; i++) {
                y[t][i] = x[t][i] * r * weight[i];
            }
        }
        return y;
    }

    /** y[t][o] = Σ_i x[t][i]·W[o][i], W stored [out, in] as in PyTorch. */
    private static double[][] linear(double[][] x, double[] weight, int out) {
        int in = x[0].length;
        double[][] y = new double[x.length][out];
        for (int t = 0; t < x.length; t++) {
            for (int o = 0; o < out; o++) {
                double s = 0;
                int base = o * in;
                for (int i = 0; i < in; i++) {
                    s += x[t][i] * weight[base + i];
                }
                y[t][o] = s;
            }
        }
        return y;
    }

    private void rope(double[][] x, int heads, double[] invFreq) {
        int half = p.headDim / 2;
        for (int t = 0; t < x.length; t++) {
            for (int h = 0; h < heads; h++) {
                int base = h * p.headDim;
                for (int i = 0; i < half; i++) {
                    double a = t * invFreq[i];
                    double c = Math.cos(a);
                    double s = Math.sin(a);
                    double x1 = x[t][base + i];
                    double x2 = x[t][base + i + half];
                    x[t][base + i] = x1 * c - x2 * s;
                    x[t][base + i + half] = x2 * c + x1 * s;
                }
            }
        }
    }

    private double[][] attention(double[][] q, double[][] k, double[][] v) {
        int T = q.length;
        int hd = p.headDim;
        int group = p.heads / p.kvHeads;
        double scale = 1 / Math.sqrt(hd);
        double[][] out = new double[T][p.heads * hd];
        double[] scores = new double[T];
        for (int h = 0; h < p.heads; h++) {
            int kh = h / group;
            for (int t = 0; t < T; t++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int s = 0; s <= t; s++) {
                    double dot = 0;
                    for (int i = 0; i < hd; i++) {
                        dot += q[t][h * hd + i] * k[s][kh * hd + i];
                    }
                    scores[s] = dot * scale;
                    max = Math.max(max, scores[s]);
                }
                double sum = 0;
                for (int s = 0; s <= t; s++) {
                    scores[s] = Math.exp(scores[s] - max);
                    sum += scores[s];
                }
                for (int s = 0; s <= t; s++) {
                    double a = scores[s] / sum;
                    for (int i = 0; i < hd; i++) {
                        out[t][h * hd + i] += a * v[s][kh * hd + i];
                    }
                }
            }
        }
        return out;
    }

    private static void addInto(double[][] x, double[][] y) {
        for (int t = 0; t < x.length; t++) {
            for (int i = 0; i < x[t].length; i++) {
                x[t][i] += y[t][i];
            }
        }
    }
}
