package org.emma4j.model.checkpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.emma4j.model.config.LlamaConfig;

/**
 * Hugging Face's names and shapes for {@code LlamaForCausalLM} weights. Linear weights are stored
 * PyTorch-style as [out, in]; q_proj and k_proj rows are already in the rotate-half order the RoPE kernel
 * expects (Hugging Face's conversion script permuted Meta's original interleaved layout), so no reordering
 * is needed on load or save.
 */
public final class LlamaTensorNames {
    private LlamaTensorNames() {
    }

    public static final String EMBED_TOKENS = "model.embed_tokens.weight";
    public static final String NORM = "model.norm.weight";
    public static final String LM_HEAD = "lm_head.weight";

    public static final String INPUT_LAYERNORM = "input_layernorm.weight";
    public static final String Q_PROJ = "self_attn.q_proj.weight";
    public static final String K_PROJ = "self_attn.k_proj.weight";
    public static final String V_PROJ = "self_attn.v_proj.weight";
    public static final String O_PROJ = "self_attn.o_proj.weight";
    public static final String POST_ATTENTION_LAYERNORM = "post_attention_layernorm.weight";
    public static final String GATE_PROJ = "mlp.gate_proj.weight";
    public static final String UP_PROJ = "mlp.up_proj.weight";
    public static final String DOWN_PROJ = "mlp.down_proj.weight";

    /**
     * Non-weight buffers some transformers versions saved into checkpoints: the rotary inverse frequencies,
     * which are recomputed from the config, so a stored copy is redundant and safely ignored.
     */
    private static final Pattern IGNORED_BUFFER = Pattern.compile("model\\.(layers\\.\\d+\\.self_attn\\.)?rotary_emb\\.inv_freq");

    /** The full name of a layer weight, e.g. {@code layer(3, Q_PROJ)} = "model.layers.3.self_attn.q_proj.weight". */
    public static String layer(int index, String suffix) {
        return "model.layers." + index + "." + suffix;
    }

    /** True for stored buffers that are not weights and are ignored on load (see {@link #IGNORED_BUFFER}). */
    public static boolean isIgnoredBuffer(String name) {
        return IGNORED_BUFFER.matcher(name).matches();
    }

    /**
     * Every weight the config implies, in Hugging Face's module order (embedding; per layer the attention
     * projections, the MLP projections, then the two norms; the final norm; the LM head unless tied).
     */
    public static List<LlamaTensorSpec> specs(LlamaConfig c) {
        long d = c.hiddenSize();
        long q = c.queryDim();
        long kv = c.kvDim();
        long ffn = c.intermediateSize();
        List<LlamaTensorSpec> specs = new ArrayList<>(c.numHiddenLayers() * 9 + 3);
        specs.add(new LlamaTensorSpec(EMBED_TOKENS, new long[] {c.vocabSize(), d}, "[vocab_size, hidden_size]",
                LlamaTensorSpec.Kind.EMBEDDING));
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            specs.add(linear(layer(i, Q_PROJ), q, d, "[num_attention_heads * head_dim, hidden_size]"));
            specs.add(linear(layer(i, K_PROJ), kv, d, "[num_key_value_heads * head_dim, hidden_size]"));
            specs.add(linear(layer(i, V_PROJ), kv, d, "[num_key_value_heads * head_dim, hidden_size]"));
            specs.add(linear(layer(i, O_PROJ), d, q, "[hidden_size, num_attention_heads * head_dim]"));
            specs.add(linear(layer(i, GATE_PROJ), ffn, d, "[intermediate_size, hidden_size]"));
            specs.add(linear(layer(i, UP_PROJ), ffn, d, "[intermediate_size, hidden_size]"));
            specs.add(linear(layer(i, DOWN_PROJ), d, ffn, "[hidden_size, intermediate_size]"));
            specs.add(norm(layer(i, INPUT_LAYERNORM), d));
            specs.add(norm(layer(i, POST_ATTENTION_LAYERNORM), d));
        }
        specs.add(norm(NORM, d));
        if (!c.tieWordEmbeddings()) {
            specs.add(linear(LM_HEAD, c.vocabSize(), d, "[vocab_size, hidden_size]"));
        }
        return specs;
    }

    private static LlamaTensorSpec linear(String name, long out, long in, String meaning) {
        return new LlamaTensorSpec(name, new long[] {out, in}, meaning, LlamaTensorSpec.Kind.LINEAR);
    }

    private static LlamaTensorSpec norm(String name, long d) {
        return new LlamaTensorSpec(name, new long[] {d}, "[hidden_size]", LlamaTensorSpec.Kind.NORM);
    }
}
