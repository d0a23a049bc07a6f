package org.emma4j.model.config;

import java.util.List;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.RopeFrequencies;

/**
 * The shape and hyper-parameters of a Llama 3 model, as Hugging Face's {@code config.json} for
 * {@code model_type: "llama"} describes them. Components keep the Hugging Face names (in camel case) so
 * the mapping to the file is obvious; {@link LlamaConfigJson} reads and writes the file.
 *
 * <p>The constructor validates everything a forward pass relies on and throws
 * {@link IllegalArgumentException} naming the Hugging Face field, so a bad config fails here rather than
 * deep inside a kernel.
 *
 * @param hiddenSize            model width D ({@code hidden_size})
 * @param numHiddenLayers       number of decoder layers ({@code num_hidden_layers})
 * @param numAttentionHeads     query heads H ({@code num_attention_heads})
 * @param numKeyValueHeads      key/value heads for grouped-query attention; divides H ({@code num_key_value_heads})
 * @param headDim               per-head dimension, even for RoPE ({@code head_dim}; defaults to D / H)
 * @param intermediateSize      SwiGLU hidden width ({@code intermediate_size})
 * @param vocabSize             rows of the embedding and the LM head ({@code vocab_size})
 * @param rmsNormEps            RMSNorm epsilon ({@code rms_norm_eps})
 * @param ropeTheta             RoPE base ({@code rope_theta})
 * @param ropeScaling           Llama 3.1 frequency rescaling ({@code rope_scaling} of type {@code llama3}), or null
 * @param maxPositionEmbeddings the longest context the model was trained for ({@code max_position_embeddings})
 * @param tieWordEmbeddings     whether the LM head reuses the embedding matrix ({@code tie_word_embeddings})
 * @param bosTokenId            beginning-of-sequence token, or null ({@code bos_token_id})
 * @param eosTokenIds           end-of-sequence tokens, possibly several ({@code eos_token_id}, int or list)
 * @param padTokenId            padding token, or null ({@code pad_token_id}; not range-checked, since some
 *                              configs write -1 for "none")
 * @param dtype                 the dtype the weights are stored in ({@code torch_dtype}, or {@code dtype} in
 *                              transformers v5): F32, BF16 or F16
 * @param initializerRange      standard deviation of the random initialisation ({@code initializer_range})
 */
public record LlamaConfig(
        int hiddenSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int numKeyValueHeads,
        int headDim,
        int intermediateSize,
        int vocabSize,
        double rmsNormEps,
        double ropeTheta,
        RopeFrequencies.Llama3Scaling ropeScaling,
        int maxPositionEmbeddings,
        boolean tieWordEmbeddings,
        Integer bosTokenId,
        List<Integer> eosTokenIds,
        Integer padTokenId,
        DType dtype,
        double initializerRange) {

    public LlamaConfig {
        requirePositive("hidden_size", hiddenSize);
        requirePositive("num_hidden_layers", numHiddenLayers);
        requirePositive("num_attention_heads", numAttentionHeads);
        requirePositive("num_key_value_heads", numKeyValueHeads);
        requirePositive("head_dim", headDim);
        requirePositive("intermediate_size", intermediateSize);
        requirePositive("vocab_size", vocabSize);
        requirePositive("max_position_embeddings", maxPositionEmbeddings);
        if (numAttentionHeads % numKeyValueHeads != 0) {
            throw new IllegalArgumentException("num_key_value_heads (" + numKeyValueHeads + ") must divide num_attention_heads ("
                    + numAttentionHeads + ") for grouped-query attention");
        }
        if (headDim % 2 != 0) {
            throw new IllegalArgumentException("head_dim must be even for rotary embeddings, found " + headDim);
        }
        if (!(rmsNormEps > 0) || Double.isInfinite(rmsNormEps)) {
            throw new IllegalArgumentException("rms_norm_eps must be a positive number, found " + rmsNormEps);
        }
        if (!(ropeTheta > 1) || Double.isInfinite(ropeTheta)) {
            throw new IllegalArgumentException("rope_theta must be a finite number > 1, found " + ropeTheta);
        }
        if (!(initializerRange > 0) || Double.isInfinite(initializerRange)) {
            throw new IllegalArgumentException("initializer_range must be a positive number, found " + initializerRange);
        }
        if (dtype == null || !dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("torch_dtype must be one of float32, bfloat16, float16, found " + dtype);
        }
        if (eosTokenIds == null) {
            throw new IllegalArgumentException("eos_token_id list must not be null (use an empty list for none)");
        }
        eosTokenIds = List.copyOf(eosTokenIds);
        requireTokenId("bos_token_id", bosTokenId, vocabSize);
        for (Integer eos : eosTokenIds) {
            requireTokenId("eos_token_id", eos, vocabSize);
        }
    }

    /** Hugging Face's default initializer_range for Llama. */
    public static final double DEFAULT_INITIALIZER_RANGE = 0.02;

    /** Width of the concatenated query heads, {@code H · headDim} (the q_proj output). */
    public int queryDim() {
        return numAttentionHeads * headDim;
    }

    /** Width of the concatenated key (or value) heads, {@code Hkv · headDim} (the k_proj and v_proj output). */
    public int kvDim() {
        return numKeyValueHeads * headDim;
    }

    /** Query heads per key/value head. */
    public int kvGroupSize() {
        return numAttentionHeads / numKeyValueHeads;
    }

    /** The kernels' RoPE description for this model (theta, head_dim and Llama 3.1 scaling when present). */
    public RopeFrequencies ropeFrequencies() {
        return new RopeFrequencies(ropeTheta, headDim, ropeScaling);
    }

    /** The attention score scale {@code 1 / sqrt(head_dim)}. */
    public float attentionScale() {
        return (float) (1.0 / Math.sqrt(headDim));
    }

    /**
     * Number of parameters, counting a tied embedding once (as Hugging Face's {@code num_parameters()} does),
     * computed from the shapes alone.
     */
    public long parameterCount() {
        long d = hiddenSize;
        long attention = d * queryDim() + 2L * d * kvDim() + (long) queryDim() * d;
        long mlp = 3L * d * intermediateSize;
        long norms = 2L * d;
        long perLayer = attention + mlp + norms;
        long embedding = (long) vocabSize * d;
        long head = tieWordEmbeddings ? 0 : embedding;
        return embedding + numHiddenLayers * perLayer + d + head;
    }

    /** The same model with another vocabulary size (token ids outside it are dropped). */
    public LlamaConfig withVocabSize(int newVocabSize) {
        return new LlamaConfig(hiddenSize, numHiddenLayers, numAttentionHeads, numKeyValueHeads, headDim, intermediateSize,
                newVocabSize, rmsNormEps, ropeTheta, ropeScaling, maxPositionEmbeddings, tieWordEmbeddings,
                keepIfInside(bosTokenId, newVocabSize),
                eosTokenIds.stream().filter(id -> id < newVocabSize).toList(),
                keepIfInside(padTokenId, newVocabSize), dtype, initializerRange);
    }

    /** The same model with or without a tied LM head. */
    public LlamaConfig withTiedEmbeddings(boolean tied) {
        return new LlamaConfig(hiddenSize, numHiddenLayers, numAttentionHeads, numKeyValueHeads, headDim, intermediateSize,
                vocabSize, rmsNormEps, ropeTheta, ropeScaling, maxPositionEmbeddings, tied, bosTokenId, eosTokenIds,
                padTokenId, dtype, initializerRange);
    }

    /** The same model stored in another dtype. */
    public LlamaConfig withDType(DType newDtype) {
        return new LlamaConfig(hiddenSize, numHiddenLayers, numAttentionHeads, numKeyValueHeads, headDim, intermediateSize,
                vocabSize, rmsNormEps, ropeTheta, ropeScaling, maxPositionEmbeddings, tieWordEmbeddings, bosTokenId,
                eosTokenIds, padTokenId, newDtype, initializerRange);
    }

    private static Integer keepIfInside(Integer id, int vocab) {
        return id != null && id < vocab ? id : null;
    }

    private static void requirePositive(String field, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be positive, found " + value);
        }
    }

    private static void requireTokenId(String field, Integer id, int vocab) {
        if (id != null && (id < 0 || id >= vocab)) {
            throw new IllegalArgumentException(field + " " + id + " is outside the vocabulary [0, " + vocab + ")");
        }
    }
}
