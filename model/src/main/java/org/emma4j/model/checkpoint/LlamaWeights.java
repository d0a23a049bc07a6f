package org.emma4j.model.checkpoint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.emma4j.kernels.Tensor;
import org.emma4j.model.config.LlamaConfig;

import static org.emma4j.model.checkpoint.LlamaTensorNames.*;

/**
 * All weights of a {@code LlamaForCausalLM}, each a kernels {@link Tensor} named with its Hugging Face name.
 * They may be zero-copy views of a memory-mapped checkpoint (read-only, for CPU inference; see
 * {@link LlamaCheckpoint#weights()}) or copies in a backend's memory (see {@link WeightTransfer}).
 *
 * @param embedTokens the token embedding, [vocab_size, hidden_size]
 * @param layers      the decoder layers, in order
 * @param norm        the final RMSNorm gain, [hidden_size]
 * @param lmHead      the output projection, [vocab_size, hidden_size]; with tied embeddings this is the very
 *                    same {@code Tensor} object as {@code embedTokens}
 */
public record LlamaWeights(Tensor embedTokens, List<LlamaLayerWeights> layers, Tensor norm, Tensor lmHead) {

    public LlamaWeights {
        layers = List.copyOf(layers);
    }

    /** True when the LM head is the embedding matrix. */
    public boolean tied() {
        return lmHead == embedTokens;
    }

    /**
     * Every distinct tensor by Hugging Face name, in Hugging Face's module order (as
     * {@link LlamaTensorNames#specs} lists them); a tied LM head appears only as the embedding.
     */
    public Map<String, Tensor> byName() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put(EMBED_TOKENS, embedTokens);
        for (int i = 0; i < layers.size(); i++) {
            LlamaLayerWeights l = layers.get(i);
            m.put(layer(i, Q_PROJ), l.qProj());
            m.put(layer(i, K_PROJ), l.kProj());
            m.put(layer(i, V_PROJ), l.vProj());
            m.put(layer(i, O_PROJ), l.oProj());
            m.put(layer(i, GATE_PROJ), l.gateProj());
            m.put(layer(i, UP_PROJ), l.upProj());
            m.put(layer(i, DOWN_PROJ), l.downProj());
            m.put(layer(i, INPUT_LAYERNORM), l.inputLayernorm());
            m.put(layer(i, POST_ATTENTION_LAYERNORM), l.postAttentionLayernorm());
        }
        m.put(NORM, norm);
        if (!tied()) {
            m.put(LM_HEAD, lmHead);
        }
        return m;
    }

    /**
     * The same structure with every tensor replaced by {@code f(tensor)}, layer by layer in module order; a tied
     * head stays tied (f is applied to the embedding once).
     */
    public LlamaWeights map(java.util.function.UnaryOperator<Tensor> f) {
        Tensor embed = f.apply(embedTokens);
        List<LlamaLayerWeights> mapped = new ArrayList<>(layers.size());
        for (LlamaLayerWeights l : layers) {
            mapped.add(new LlamaLayerWeights(f.apply(l.inputLayernorm()), f.apply(l.qProj()), f.apply(l.kProj()), f.apply(l.vProj()),
                    f.apply(l.oProj()), f.apply(l.postAttentionLayernorm()), f.apply(l.gateProj()), f.apply(l.upProj()),
                    f.apply(l.downProj())));
        }
        Tensor n = f.apply(norm);
        Tensor head = tied() ? embed : f.apply(lmHead);
        return new LlamaWeights(embed, mapped, n, head);
    }

    /** Number of parameters (a tied head counted once). */
    public long parameterCount() {
        long n = 0;
        for (Tensor t : byName().values()) {
            n += t.size();
        }
        return n;
    }

    /**
     * Binds named tensors to a config: every weight the config implies must be present with exactly its
     * shape and a floating-point dtype. Rotary {@code inv_freq} buffers are ignored (recomputed from the
     * config); with tied embeddings a stored {@code lm_head.weight} is ignored, as transformers does (the
     * tie overrides it). Any other tensor is unexpected and an error, since it means the config and the
     * weights describe different models (e.g. "model.layers.16..." in a 16-layer model).
     *
     * @param whereIs names the file holding a tensor, for messages
     */
    public static LlamaWeights fromTensors(LlamaConfig config, Map<String, Tensor> tensors, Function<String, String> whereIs)
            throws CheckpointFormatException {
        List<LlamaTensorSpec> specs = LlamaTensorNames.specs(config);
        Set<String> expected = new TreeSet<>();
        List<String> missing = new ArrayList<>();
        for (LlamaTensorSpec s : specs) {
            expected.add(s.name());
            if (!tensors.containsKey(s.name())) {
                missing.add(s.name());
            }
        }
        List<String> unexpected = new ArrayList<>();
        for (String name : new TreeSet<>(tensors.keySet())) {
            boolean ignored = isIgnoredBuffer(name) || (config.tieWordEmbeddings() && name.equals(LM_HEAD));
            if (!expected.contains(name) && !ignored) {
                unexpected.add(name);
            }
        }
        if (!missing.isEmpty()) {
            String hint = missing.contains(LM_HEAD) && missing.size() == 1
                    ? " (config.json has tie_word_embeddings false; a checkpoint without lm_head.weight needs it true)" : "";
            throw new CheckpointFormatException(whereIs.apply(missing.getFirst()) + ": missing " + missing.size() + " tensor"
                    + (missing.size() == 1 ? "" : "s") + " that config.json (" + describe(config) + ") requires: " + list(missing) + hint);
        }
        if (!unexpected.isEmpty()) {
            throw new CheckpointFormatException(whereIs.apply(unexpected.getFirst()) + ": unexpected tensor"
                    + (unexpected.size() == 1 ? " " : "s ") + list(unexpected) + " not part of the model config.json describes ("
                    + describe(config) + ")");
        }
        for (LlamaTensorSpec s : specs) {
            Tensor t = tensors.get(s.name());
            if (!s.matches(t.shape())) {
                throw new CheckpointFormatException(whereIs.apply(s.name()) + ": tensor '" + s.name() + "' has shape "
                        + Arrays.toString(t.shape()) + ", expected " + Arrays.toString(s.shape()) + " = " + s.shapeMeaning()
                        + " from config.json");
            }
            if (!t.dtype().isFloatingPoint()) {
                throw new CheckpointFormatException(whereIs.apply(s.name()) + ": tensor '" + s.name() + "' has dtype " + t.dtype()
                        + "; weights must be F32, BF16 or F16");
            }
        }
        Function<String, Tensor> get = name -> {
            Tensor t = tensors.get(name);
            return t.name().equals(name) ? t : t.named(name);
        };
        List<LlamaLayerWeights> layers = new ArrayList<>(config.numHiddenLayers());
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            layers.add(new LlamaLayerWeights(get.apply(layer(i, INPUT_LAYERNORM)), get.apply(layer(i, Q_PROJ)),
                    get.apply(layer(i, K_PROJ)), get.apply(layer(i, V_PROJ)), get.apply(layer(i, O_PROJ)),
                    get.apply(layer(i, POST_ATTENTION_LAYERNORM)), get.apply(layer(i, GATE_PROJ)),
                    get.apply(layer(i, UP_PROJ)), get.apply(layer(i, DOWN_PROJ))));
        }
        Tensor embed = get.apply(EMBED_TOKENS);
        Tensor head = config.tieWordEmbeddings() ? embed : get.apply(LM_HEAD);
        return new LlamaWeights(embed, layers, get.apply(NORM), head);
    }

    private static String describe(LlamaConfig c) {
        return "num_hidden_layers=" + c.numHiddenLayers() + ", tie_word_embeddings=" + c.tieWordEmbeddings();
    }

    private static String list(List<String> names) {
        int shown = Math.min(5, names.size());
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < shown; i++) {
            sb.append(i == 0 ? "" : ", ").append('\'').append(names.get(i)).append('\'');
        }
        if (names.size() > shown) {
            sb.append(" and ").append(names.size() - shown).append(" more");
        }
        return sb.toString();
    }
}
