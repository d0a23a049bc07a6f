package org.emma4j.model.llama;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.emma4j.kernels.Backend;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.RopeFrequencies;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorScope;
import org.emma4j.kernels.TestTensors;
import org.emma4j.model.checkpoint.LlamaLayerWeights;
import org.emma4j.model.checkpoint.LlamaWeights;
import org.emma4j.model.config.LlamaConfig;

/**
 * Small random Llama models for tests, with their weights kept both as backend tensors and as float64 arrays
 * (the values the tensors really hold, after bf16 rounding) for {@link ReferenceLlama}.
 */
public final class RandomLlama {
    public final LlamaConfig config;
    public final LlamaWeights weights;
    public final Map<String, double[]> values = new LinkedHashMap<>();

    /**
     * @param qkStd the spread of the query and key projections: 0.02 gives nearly uniform attention; a large
     *              value (with a small rope theta) gives sharp attention that RoPE errors visibly move
     */
    public RandomLlama(Backend backend, TensorScope scope, LlamaConfig config, DType dtype, double qkStd, long seed) {
        this.config = config;
        SplittableRandom rnd = new SplittableRandom(seed);
        int d = config.hiddenSize();
        Tensor embed = tensor(backend, scope, rnd, dtype, "model.embed_tokens.weight", 1.0, false, config.vocabSize(), d);
        List<LlamaLayerWeights> layers = new ArrayList<>();
        for (int l = 0; l < config.numHiddenLayers(); l++) {
            String p = "model.layers." + l + ".";
            double lin = 1 / Math.sqrt(d);
            layers.add(new LlamaLayerWeights(
                    tensor(backend, scope, rnd, dtype, p + "input_layernorm.weight", 0.3, true, d),
                    tensor(backend, scope, rnd, dtype, p + "self_attn.q_proj.weight", qkStd, false, config.queryDim(), d),
                    tensor(backend, scope, rnd, dtype, p + "self_attn.k_proj.weight", qkStd, false, config.kvDim(), d),
                    tensor(backend, scope, rnd, dtype, p + "self_attn.v_proj.weight", lin, false, config.kvDim(), d),
                    tensor(backend, scope, rnd, dtype, p + "self_attn.o_proj.weight", 1 / Math.sqrt(config.queryDim()), false, d,
                            config.queryDim()),
                    tensor(backend, scope, rnd, dtype, p + "post_attention_layernorm.weight", 0.3, true, d),
                    tensor(backend, scope, rnd, dtype, p + "mlp.gate_proj.weight", lin, false, config.intermediateSize(), d),
                    tensor(backend, scope, rnd, dtype, p + "mlp.up_proj.weight", lin, false, config.intermediateSize(), d),
                    tensor(backend, scope, rnd, dtype, p + "mlp.down_proj.weight", 1 / Math.sqrt(config.intermediateSize()), false, d,
                            config.intermediateSize())));
        }
        Tensor norm = tensor(backend, scope, rnd, dtype, "model.norm.weight", 0.3, true, d);
        Tensor head = config.tieWordEmbeddings() ? embed
                : tensor(backend, scope, rnd, dtype, "lm_head.weight", 1 / Math.sqrt(d), false, config.vocabSize(), d);
        this.weights = new LlamaWeights(embed, layers, norm, head);
    }

    /** Uniform values with the given standard deviation (around 1 for norm gains). */
    private Tensor tensor(Backend backend, TensorScope scope, SplittableRandom rnd, DType dtype, String name, double std,
                          boolean aroundOne, long... shape) {
        int n = Math.toIntExact(java.util.Arrays.stream(shape).reduce(1, Math::multiplyExact));
        float[] v = TestTensors.uniform(rnd, n, std * Math.sqrt(3));
        if (aroundOne) {
            for (int i = 0; i < n; i++) {
                v[i] += 1f;
            }
        }
        if (dtype == DType.BF16) {
            v = TestTensors.roundToBf16(v);
        }
        values.put(name, TestTensors.toDouble(v));
        Tensor t = scope.allocate(dtype, shape).named(name);
        backend.fromFloats(t, v);
        return t;
    }

    public ReferenceLlama reference() {
        return reference(values);
    }

    /** The reference model with other weight values (finite differences perturb a copy of {@link #values}). */
    public ReferenceLlama reference(Map<String, double[]> weightValues) {
        RopeFrequencies.Llama3Scaling s = config.ropeScaling();
        var p = new ReferenceLlama.Params(config.hiddenSize(), config.numHiddenLayers(), config.numAttentionHeads(),
                config.numKeyValueHeads(), config.headDim(), config.intermediateSize(), config.vocabSize(), config.rmsNormEps(),
                config.ropeTheta(), config.tieWordEmbeddings(), s == null ? 0 : s.factor(), s == null ? 0 : s.lowFreqFactor(),
                s == null ? 0 : s.highFreqFactor(), s == null ? 0 : s.originalMaxPositions());
        return new ReferenceLlama(p, weightValues);
    }

    /** A config with the given sizes (vocabulary small so tests stay fast). */
    public static LlamaConfig config(int dim, int layers, int heads, int kvHeads, int headDim, int ffn, int vocab, double theta,
                              RopeFrequencies.Llama3Scaling scaling, boolean tied) {
        return new LlamaConfig(dim, layers, heads, kvHeads, headDim, ffn, vocab, 1e-5, theta, scaling, 4096, tied, 1,
                List.of(2), null, DType.F32, 0.02);
    }
}
