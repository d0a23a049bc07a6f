package org.emma4j.model.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.RopeFrequencies;

/**
 * Model shapes by name, for {@code emma4j init}: the released Llama 3 family (the values of Meta's
 * {@code config.json} files on the Hugging Face hub) and a few tiny models for tests and demos, plus explicit
 * sizes written as {@code dim=768,layers=12,heads=12,kv-heads=4,ffn=2048,vocab=32000}.
 */
public final class LlamaShapes {
    private LlamaShapes() {
    }

    /** The Llama 3 tokenizer's vocabulary and its special tokens. */
    public static final int LLAMA3_VOCAB = 128256;
    public static final int LLAMA3_BOS = 128000;
    public static final int LLAMA3_EOS = 128001;
    private static final double LLAMA3_THETA = 500000.0;
    private static final double LLAMA3_EPS = 1e-5;

    private static final Map<String, LlamaConfig> NAMED = named();

    private static Map<String, LlamaConfig> named() {
        Map<String, LlamaConfig> m = new LinkedHashMap<>();
        // meta-llama/Meta-Llama-3-8B: 8.03B parameters, 8K context, no RoPE scaling.
        m.put("llama3-8b", llama3(4096, 32, 32, 8, 128, 14336, null, 8192, false));
        // meta-llama/Llama-3.1-8B: the same weights' shape, 128K context through llama3 RoPE scaling (factor 8).
        m.put("llama3.1-8b", llama3(4096, 32, 32, 8, 128, 14336, new RopeFrequencies.Llama3Scaling(8.0, 1.0, 4.0, 8192),
                131072, false));
        // meta-llama/Llama-3.2-1B: 1.24B parameters, tied embeddings, llama3 RoPE scaling factor 32.
        m.put("llama3.2-1b", llama3(2048, 16, 32, 8, 64, 8192, new RopeFrequencies.Llama3Scaling(32.0, 1.0, 4.0, 8192),
                131072, true));
        // meta-llama/Llama-3.2-3B: 3.21B parameters, 24 heads of 128, tied embeddings.
        m.put("llama3.2-3b", llama3(3072, 28, 24, 8, 128, 8192, new RopeFrequencies.Llama3Scaling(32.0, 1.0, 4.0, 8192),
                131072, true));
        // Tiny models for tests and demos, with the Llama 3 vocabulary so the real tokenizer fits (--vocab shrinks it).
        m.put("tiny", llama3(64, 2, 4, 2, 16, 192, null, 2048, false));
        m.put("tiny-rope-scaled", llama3(64, 2, 4, 2, 16, 192, new RopeFrequencies.Llama3Scaling(8.0, 1.0, 4.0, 256),
                2048, false));
        m.put("small", llama3(256, 4, 8, 4, 32, 768, null, 4096, false));
        return m;
    }

    private static LlamaConfig llama3(int dim, int layers, int heads, int kvHeads, int headDim, int ffn,
                                      RopeFrequencies.Llama3Scaling scaling, int maxPositions, boolean tied) {
        return new LlamaConfig(dim, layers, heads, kvHeads, headDim, ffn, LLAMA3_VOCAB, LLAMA3_EPS, LLAMA3_THETA, scaling,
                maxPositions, tied, LLAMA3_BOS, List.of(LLAMA3_EOS), null, DType.BF16, LlamaConfig.DEFAULT_INITIALIZER_RANGE);
    }

    /** The names {@link #resolve} knows, in a stable order. */
    public static Set<String> names() {
        return NAMED.keySet();
    }

    /** A named shape, or explicit sizes ({@code dim=...,layers=...}); fails with the list of names otherwise. */
    public static LlamaConfig resolve(String shape) {
        String s = shape.trim();
        LlamaConfig named = NAMED.get(s.toLowerCase(java.util.Locale.ROOT));
        if (named != null) {
            return named;
        }
        if (s.contains("=")) {
            return explicit(s);
        }
        throw new IllegalArgumentException("unknown model shape '" + shape + "': use one of " + String.join(", ", NAMED.keySet())
                + ", or explicit sizes like dim=768,layers=12,heads=12,kv-heads=4,ffn=2048,vocab=32000");
    }

    /**
     * Explicit sizes: {@code dim} (or {@code hidden}), {@code layers}, {@code heads} are required;
     * {@code kv-heads} (default heads), {@code head-dim} (default dim / heads), {@code ffn} (default Llama's
     * rule: 8·dim/3 rounded up to a multiple of 256), {@code vocab} (128256), {@code theta} (500000),
     * {@code max-pos} (8192), {@code eps} (1e-5), {@code tied} (false).
     */
    static LlamaConfig explicit(String spec) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq <= 0 || eq == p.length() - 1) {
                throw new IllegalArgumentException("model shape '" + spec + "': '" + p + "' is not key=value");
            }
            String key = p.substring(0, eq).trim().toLowerCase(java.util.Locale.ROOT);
            if (key.equals("hidden")) {
                key = "dim";
            }
            if (kv.put(key, p.substring(eq + 1).trim()) != null) {
                throw new IllegalArgumentException("model shape '" + spec + "': '" + key + "' is given twice");
            }
        }
        Set<String> known = Set.of("dim", "layers", "heads", "kv-heads", "head-dim", "ffn", "vocab", "theta", "max-pos", "eps", "tied");
        for (String key : kv.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException("model shape '" + spec + "': unknown key '" + key + "'; known keys: "
                        + "dim, layers, heads, kv-heads, head-dim, ffn, vocab, theta, max-pos, eps, tied");
            }
        }
        int dim = intValue(spec, kv, "dim", null);
        int layers = intValue(spec, kv, "layers", null);
        int heads = intValue(spec, kv, "heads", null);
        int kvHeads = intValue(spec, kv, "kv-heads", heads);
        Integer defaultHeadDim = heads > 0 && dim % heads == 0 ? dim / heads : null;
        int headDim = intValue(spec, kv, "head-dim", defaultHeadDim);
        int ffn = intValue(spec, kv, "ffn", llamaFfn(dim));
        int vocab = intValue(spec, kv, "vocab", LLAMA3_VOCAB);
        int maxPos = intValue(spec, kv, "max-pos", 8192);
        double theta = doubleValue(spec, kv, "theta", LLAMA3_THETA);
        double eps = doubleValue(spec, kv, "eps", LLAMA3_EPS);
        String tiedText = kv.getOrDefault("tied", "false");
        if (!tiedText.equals("true") && !tiedText.equals("false")) {
            throw new IllegalArgumentException("model shape '" + spec + "': tied must be true or false, found '" + tiedText + "'");
        }
        try {
            LlamaConfig c = new LlamaConfig(dim, layers, heads, kvHeads, headDim, ffn, LLAMA3_VOCAB, eps, theta, null, maxPos,
                    Boolean.parseBoolean(tiedText), LLAMA3_BOS, List.of(LLAMA3_EOS), null, DType.BF16,
                    LlamaConfig.DEFAULT_INITIALIZER_RANGE);
            return c.withVocabSize(vocab);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model shape '" + spec + "': " + e.getMessage(), e);
        }
    }

    /** Llama's feed-forward width rule: 2/3 of 4·dim, rounded up to a multiple of 256. */
    static int llamaFfn(int dim) {
        int hidden = (int) (2L * 4 * dim / 3);
        return (hidden + 255) / 256 * 256;
    }

    private static int intValue(String spec, Map<String, String> kv, String key, Integer fallback) {
        String v = kv.get(key);
        if (v == null) {
            if (fallback == null) {
                throw new IllegalArgumentException("model shape '" + spec + "': '" + key + "' is required"
                        + (key.equals("head-dim") ? " because dim is not a multiple of heads" : ""));
            }
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("model shape '" + spec + "': " + key + " must be an integer, found '" + v + "'");
        }
    }

    private static double doubleValue(String spec, Map<String, String> kv, String key, double fallback) {
        String v = kv.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("model shape '" + spec + "': " + key + " must be a number, found '" + v + "'");
        }
    }
}
