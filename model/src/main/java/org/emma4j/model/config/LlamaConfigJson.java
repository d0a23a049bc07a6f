package org.emma4j.model.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.RopeFrequencies;
import org.emma4j.model.io.AtomicFiles;
import org.emma4j.model.io.HfJson;

/**
 * Reads and writes Hugging Face {@code config.json} for Llama models.
 *
 * <p>Reading accepts what transformers 4.x writes (top-level {@code rope_theta}, {@code rope_scaling} with
 * {@code rope_type} or the older {@code type}, {@code torch_dtype}) and what transformers 5 writes
 * ({@code rope_parameters} holding {@code rope_type}, {@code rope_theta} and the scaling fields, and
 * {@code dtype}). Absent optional fields take Hugging Face's Llama defaults: {@code num_key_value_heads} =
 * {@code num_attention_heads}, {@code head_dim} = hidden / heads, {@code rms_norm_eps} 1e-6,
 * {@code rope_theta} 10000, {@code max_position_embeddings} 2048, {@code tie_word_embeddings} false,
 * {@code hidden_act} silu, {@code torch_dtype} float32. Absent {@code bos_token_id} / {@code eos_token_id}
 * mean none (Hugging Face's Llama-2 defaults 1 and 2 would be wrong for every Llama 3 vocabulary).
 * Anything emma4j does not implement (another model type, YaRN / dynamic / linear RoPE, attention or MLP
 * biases, an activation other than SiLU, quantisation) fails with the file, the field and the value.
 *
 * <p>Writing produces the format the released Llama 3.x checkpoints use (transformers 4.4x: sorted keys,
 * {@code torch_dtype}, {@code rope_theta} plus {@code rope_scaling}), which transformers 4 and 5 both read.
 */
public final class LlamaConfigJson {
    private LlamaConfigJson() {
    }

    /** The file name inside a model directory. */
    public static final String FILE_NAME = "config.json";

    /** Reads {@code config.json} from a file (or from a model directory containing one). */
    public static LlamaConfig read(Path fileOrDirectory) throws IOException {
        Path file = Files.isDirectory(fileOrDirectory) ? fileOrDirectory.resolve(FILE_NAME) : fileOrDirectory;
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no config.json: a Hugging Face model directory needs one");
        }
        return parse(text, file.toString());
    }

    /** Parses config JSON text; {@code source} names it in error messages (usually the file path). */
    public static LlamaConfig parse(String json, String source) throws ConfigFormatException {
        JsonNode root;
        try {
            root = HfJson.strictMapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new ConfigFormatException(source + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ConfigFormatException(source + ": expected a JSON object, found " + (root == null ? "nothing" : root.getNodeType()));
        }
        return parse(new JsonFields(root, source, ""));
    }

    private static LlamaConfig parse(JsonFields f) throws ConfigFormatException {
        String modelType = f.optionalString("model_type", null);
        if (modelType == null) {
            throw f.error("model_type", "is missing; emma4j reads Llama models (model_type \"llama\")");
        }
        if (!modelType.equals("llama")) {
            throw f.error("model_type", "is \"" + modelType + "\"; emma4j reads only Llama models (model_type \"llama\")");
        }
        if (f.has("quantization_config")) {
            throw f.error("quantization_config", "is present; emma4j reads only unquantised F32, BF16 or F16 weights");
        }
        String act = f.optionalString("hidden_act", "silu");
        if (!act.equals("silu")) {
            throw f.error("hidden_act", "is \"" + act + "\"; Llama 3 uses \"silu\" (SwiGLU) and emma4j implements only that");
        }
        if (f.optionalBoolean("attention_bias", false)) {
            throw f.error("attention_bias", "is true; emma4j implements Llama attention without biases");
        }
        if (f.optionalBoolean("mlp_bias", false)) {
            throw f.error("mlp_bias", "is true; emma4j implements the Llama MLP without biases");
        }

        int hidden = f.requiredInt("hidden_size");
        int layers = f.requiredInt("num_hidden_layers");
        int heads = f.requiredInt("num_attention_heads");
        int kvHeads = f.optionalInt("num_key_value_heads", heads);
        int intermediate = f.requiredInt("intermediate_size");
        int vocab = f.requiredInt("vocab_size");
        int headDim;
        if (f.has("head_dim")) {
            headDim = f.requiredInt("head_dim");
        } else {
            if (heads <= 0 || hidden % heads != 0) {
                throw f.error("head_dim", "is missing and hidden_size (" + hidden + ") is not a positive multiple of num_attention_heads ("
                        + heads + "), so it cannot be derived");
            }
            headDim = hidden / heads;
        }
        double eps = f.optionalDouble("rms_norm_eps", 1e-6);
        Rope rope = parseRope(f);
        int maxPositions = f.optionalInt("max_position_embeddings", 2048);
        boolean tied = f.optionalBoolean("tie_word_embeddings", false);
        Integer bos = f.optionalInteger("bos_token_id");
        List<Integer> eos = parseEos(f);
        Integer pad = f.optionalInteger("pad_token_id");
        DType dtype = parseDType(f);
        double initRange = f.optionalDouble("initializer_range", LlamaConfig.DEFAULT_INITIALIZER_RANGE);
        try {
            return new LlamaConfig(hidden, layers, heads, kvHeads, headDim, intermediate, vocab, eps, rope.theta, rope.scaling,
                    maxPositions, tied, bos, eos, pad, dtype, initRange);
        } catch (IllegalArgumentException e) {
            throw new ConfigFormatException(f.source() + ": " + e.getMessage(), e);
        }
    }

    private record Rope(double theta, RopeFrequencies.Llama3Scaling scaling) {
    }

    private static Rope parseRope(JsonFields f) throws ConfigFormatException {
        if (f.optionalDouble("partial_rotary_factor", 1.0) != 1.0) {
            throw f.error("partial_rotary_factor", "is " + f.node("partial_rotary_factor") + "; emma4j rotates the whole head (1.0)");
        }
        JsonFields params = f.optionalObject("rope_parameters");
        JsonFields scaling;
        double theta;
        if (params != null) {
            // transformers v5: {"rope_type": ..., "rope_theta": ..., plus the type's own fields}.
            Iterator<Map.Entry<String, JsonNode>> it = f.node("rope_parameters").properties().iterator();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isObject()) {
                    throw params.error(e.getKey(), "is an object: per-layer-type RoPE parameters are not used by Llama and emma4j does not read them");
                }
            }
            theta = params.optionalDouble("rope_theta", f.optionalDouble("rope_theta", 10000.0));
            scaling = params;
        } else {
            theta = f.optionalDouble("rope_theta", 10000.0);
            scaling = f.optionalObject("rope_scaling");
            if (scaling == null) {
                return new Rope(theta, null);
            }
        }
        if (scaling.optionalDouble("partial_rotary_factor", 1.0) != 1.0) {
            throw scaling.error("partial_rotary_factor", "is " + scaling.node("partial_rotary_factor") + "; emma4j rotates the whole head (1.0)");
        }
        String typeField = scaling.has("rope_type") ? "rope_type" : "type";
        String type = scaling.optionalString(typeField, params != null ? "default" : null);
        if (type == null) {
            throw scaling.error("rope_type", "is missing; rope_scaling must say which scaling it is (emma4j implements \"llama3\")");
        }
        switch (type) {
            case "default":
                return new Rope(theta, null);
            case "llama3":
                double factor = scaling.requiredDouble("factor");
                double low = scaling.requiredDouble("low_freq_factor");
                double high = scaling.requiredDouble("high_freq_factor");
                int original = scaling.requiredInt("original_max_position_embeddings");
                try {
                    return new Rope(theta, new RopeFrequencies.Llama3Scaling(factor, low, high, original));
                } catch (IllegalArgumentException e) {
                    throw new ConfigFormatException(f.source() + ": field '" + scaling.name() + "' has invalid values: "
                            + e.getMessage(), e);
                }
            default:
                throw scaling.error(typeField, "is \"" + type + "\"; emma4j implements only \"default\" and \"llama3\" RoPE (not linear, dynamic, yarn, longrope, ...)");
        }
    }

    private static List<Integer> parseEos(JsonFields f) throws ConfigFormatException {
        JsonNode n = f.node("eos_token_id");
        if (n == null) {
            return List.of();
        }
        List<Integer> ids = new ArrayList<>();
        if (n.isArray()) {
            for (JsonNode item : n) {
                ids.add(f.asInt("eos_token_id", item));
            }
        } else {
            ids.add(f.asInt("eos_token_id", n));
        }
        return ids;
    }

    private static DType parseDType(JsonFields f) throws ConfigFormatException {
        String field = f.has("dtype") ? "dtype" : "torch_dtype";
        String name = f.optionalString(field, "float32");
        return switch (name) {
            case "float32" -> DType.F32;
            case "bfloat16" -> DType.BF16;
            case "float16" -> DType.F16;
            default -> throw f.error(field, "is \"" + name + "\"; emma4j reads float32, bfloat16 or float16 checkpoints");
        };
    }

    /** The Hugging Face name of a weight dtype ("bfloat16", ...). */
    public static String torchDTypeName(DType dtype) {
        return switch (dtype) {
            case F32 -> "float32";
            case BF16 -> "bfloat16";
            case F16 -> "float16";
            case I32 -> throw new IllegalArgumentException("I32 is not a weight dtype");
        };
    }

    /** The config as Hugging Face's transformers 4.4x writes it for Llama 3.x: sorted keys, indent 2. */
    public static String toJson(LlamaConfig c) {
        JsonNodeFactory nf = JsonNodeFactory.instance;
        TreeMap<String, JsonNode> fields = new TreeMap<>();
        ArrayNode architectures = nf.arrayNode().add("LlamaForCausalLM");
        fields.put("architectures", architectures);
        fields.put("attention_bias", nf.booleanNode(false));
        fields.put("attention_dropout", nf.numberNode(0.0));
        if (c.bosTokenId() != null) {
            fields.put("bos_token_id", nf.numberNode(c.bosTokenId()));
        }
        if (c.eosTokenIds().size() == 1) {
            fields.put("eos_token_id", nf.numberNode(c.eosTokenIds().getFirst()));
        } else if (!c.eosTokenIds().isEmpty()) {
            ArrayNode eos = nf.arrayNode();
            c.eosTokenIds().forEach(eos::add);
            fields.put("eos_token_id", eos);
        }
        fields.put("head_dim", nf.numberNode(c.headDim()));
        fields.put("hidden_act", nf.textNode("silu"));
        fields.put("hidden_size", nf.numberNode(c.hiddenSize()));
        fields.put("initializer_range", nf.numberNode(c.initializerRange()));
        fields.put("intermediate_size", nf.numberNode(c.intermediateSize()));
        fields.put("max_position_embeddings", nf.numberNode(c.maxPositionEmbeddings()));
        fields.put("mlp_bias", nf.booleanNode(false));
        fields.put("model_type", nf.textNode("llama"));
        fields.put("num_attention_heads", nf.numberNode(c.numAttentionHeads()));
        fields.put("num_hidden_layers", nf.numberNode(c.numHiddenLayers()));
        fields.put("num_key_value_heads", nf.numberNode(c.numKeyValueHeads()));
        if (c.padTokenId() != null) {
            fields.put("pad_token_id", nf.numberNode(c.padTokenId()));
        }
        fields.put("pretraining_tp", nf.numberNode(1));
        fields.put("rms_norm_eps", nf.numberNode(c.rmsNormEps()));
        if (c.ropeScaling() == null) {
            fields.put("rope_scaling", nf.nullNode());
        } else {
            RopeFrequencies.Llama3Scaling s = c.ropeScaling();
            ObjectNode scaling = nf.objectNode();
            scaling.put("factor", s.factor());
            scaling.put("high_freq_factor", s.highFreqFactor());
            scaling.put("low_freq_factor", s.lowFreqFactor());
            scaling.put("original_max_position_embeddings", s.originalMaxPositions());
            scaling.put("rope_type", "llama3");
            fields.put("rope_scaling", scaling);
        }
        fields.put("rope_theta", nf.numberNode(c.ropeTheta()));
        fields.put("tie_word_embeddings", nf.booleanNode(c.tieWordEmbeddings()));
        fields.put("torch_dtype", nf.textNode(torchDTypeName(c.dtype())));
        fields.put("use_cache", nf.booleanNode(true));
        fields.put("vocab_size", nf.numberNode(c.vocabSize()));
        ObjectNode root = nf.objectNode();
        fields.forEach(root::set);
        return HfJson.pretty(root);
    }

    /** Writes {@code config.json} atomically to a file (or into a directory). */
    public static void write(LlamaConfig config, Path fileOrDirectory) throws IOException {
        Path file = Files.isDirectory(fileOrDirectory) ? fileOrDirectory.resolve(FILE_NAME) : fileOrDirectory;
        AtomicFiles.writeString(file, toJson(config));
    }
}
