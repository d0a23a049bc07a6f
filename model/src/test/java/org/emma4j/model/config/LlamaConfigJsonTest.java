package org.emma4j.model.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.RopeFrequencies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * config.json parsing on the files Meta released on the Hugging Face hub (values copied from
 * meta-llama/Meta-Llama-3-8B, Llama-3.1-8B, Llama-3.2-1B and Llama-3.2-1B-Instruct), a transformers v5
 * rewrite with rope_parameters, round trips through the writer, and every rejection.
 */
class LlamaConfigJsonTest {

    /** meta-llama/Meta-Llama-3-8B, written by transformers 4.40: no head_dim, rope_scaling null. */
    static final String LLAMA3_8B = """
            {
              "architectures": [
                "LlamaForCausalLM"
              ],
              "attention_bias": false,
              "attention_dropout": 0.0,
              "bos_token_id": 128000,
              "eos_token_id": 128001,
              "hidden_act": "silu",
              "hidden_size": 4096,
              "initializer_range": 0.02,
              "intermediate_size": 14336,
              "max_position_embeddings": 8192,
              "model_type": "llama",
              "num_attention_heads": 32,
              "num_hidden_layers": 32,
              "num_key_value_heads": 8,
              "pretraining_tp": 1,
              "rms_norm_eps": 1e-05,
              "rope_scaling": null,
              "rope_theta": 500000.0,
              "tie_word_embeddings": false,
              "torch_dtype": "bfloat16",
              "transformers_version": "4.40.0.dev0",
              "use_cache": true,
              "vocab_size": 128256
            }
            """;

    /** meta-llama/Llama-3.1-8B: llama3 rope scaling, 128K context. */
    static final String LLAMA31_8B = """
            {
              "architectures": ["LlamaForCausalLM"],
              "attention_bias": false,
              "attention_dropout": 0.0,
              "bos_token_id": 128000,
              "eos_token_id": 128001,
              "hidden_act": "silu",
              "hidden_size": 4096,
              "initializer_range": 0.02,
              "intermediate_size": 14336,
              "max_position_embeddings": 131072,
              "mlp_bias": false,
              "model_type": "llama",
              "num_attention_heads": 32,
              "num_hidden_layers": 32,
              "num_key_value_heads": 8,
              "pretraining_tp": 1,
              "rms_norm_eps": 1e-05,
              "rope_scaling": {
                "factor": 8.0,
                "low_freq_factor": 1.0,
                "high_freq_factor": 4.0,
                "original_max_position_embeddings": 8192,
                "rope_type": "llama3"
              },
              "rope_theta": 500000.0,
              "tie_word_embeddings": false,
              "torch_dtype": "bfloat16",
              "transformers_version": "4.43.0.dev0",
              "use_cache": true,
              "vocab_size": 128256
            }
            """;

    /** meta-llama/Llama-3.2-1B: tied embeddings, explicit head_dim, rope factor 32. */
    static final String LLAMA32_1B = """
            {
              "architectures": ["LlamaForCausalLM"],
              "attention_bias": false,
              "attention_dropout": 0.0,
              "bos_token_id": 128000,
              "eos_token_id": 128001,
              "head_dim": 64,
              "hidden_act": "silu",
              "hidden_size": 2048,
              "initializer_range": 0.02,
              "intermediate_size": 8192,
              "max_position_embeddings": 131072,
              "mlp_bias": false,
              "model_type": "llama",
              "num_attention_heads": 32,
              "num_hidden_layers": 16,
              "num_key_value_heads": 8,
              "pretraining_tp": 1,
              "rms_norm_eps": 1e-05,
              "rope_scaling": {
                "factor": 32.0,
                "high_freq_factor": 4.0,
                "low_freq_factor": 1.0,
                "original_max_position_embeddings": 8192,
                "rope_type": "llama3"
              },
              "rope_theta": 500000.0,
              "tie_word_embeddings": true,
              "torch_dtype": "bfloat16",
              "transformers_version": "4.45.0.dev0",
              "use_cache": true,
              "vocab_size": 128256
            }
            """;

    /** The same model as transformers v5 writes it: rope_parameters (holding rope_theta) and dtype; Instruct's eos list. */
    static final String LLAMA32_1B_V5 = """
            {
              "architectures": ["LlamaForCausalLM"],
              "attention_bias": false,
              "attention_dropout": 0.0,
              "bos_token_id": 128000,
              "dtype": "bfloat16",
              "eos_token_id": [128001, 128008, 128009],
              "head_dim": 64,
              "hidden_act": "silu",
              "hidden_size": 2048,
              "initializer_range": 0.02,
              "intermediate_size": 8192,
              "max_position_embeddings": 131072,
              "mlp_bias": false,
              "model_type": "llama",
              "num_attention_heads": 32,
              "num_hidden_layers": 16,
              "num_key_value_heads": 8,
              "pad_token_id": null,
              "pretraining_tp": 1,
              "rms_norm_eps": 1e-05,
              "rope_parameters": {
                "factor": 32.0,
                "high_freq_factor": 4.0,
                "low_freq_factor": 1.0,
                "original_max_position_embeddings": 8192,
                "rope_theta": 500000.0,
                "rope_type": "llama3"
              },
              "tie_word_embeddings": true,
              "transformers_version": "5.0.0",
              "use_cache": true,
              "vocab_size": 128256
            }
            """;

    private static LlamaConfig parse(String json) throws ConfigFormatException {
        return LlamaConfigJson.parse(json, "test/config.json");
    }

    @Test
    void readsLlama3_8b() throws Exception {
        LlamaConfig c = parse(LLAMA3_8B);
        assertEquals(4096, c.hiddenSize());
        assertEquals(32, c.numHiddenLayers());
        assertEquals(32, c.numAttentionHeads());
        assertEquals(8, c.numKeyValueHeads());
        assertEquals(128, c.headDim(), "head_dim absent: hidden_size / num_attention_heads");
        assertEquals(14336, c.intermediateSize());
        assertEquals(128256, c.vocabSize());
        assertEquals(1e-5, c.rmsNormEps());
        assertEquals(500000.0, c.ropeTheta());
        assertNull(c.ropeScaling());
        assertEquals(8192, c.maxPositionEmbeddings());
        assertFalse(c.tieWordEmbeddings());
        assertEquals(128000, c.bosTokenId());
        assertEquals(List.of(128001), c.eosTokenIds());
        assertNull(c.padTokenId());
        assertEquals(DType.BF16, c.dtype());
        assertEquals(0.02, c.initializerRange());
        assertEquals(1024, c.kvDim());
        assertEquals(4, c.kvGroupSize());
        assertEquals(new RopeFrequencies(500000.0, 128, null), c.ropeFrequencies());
        assertEquals(LlamaShapes.resolve("llama3-8b"), c, "the named shape matches the released config");
    }

    @Test
    void readsLlama31_8bRopeScaling() throws Exception {
        LlamaConfig c = parse(LLAMA31_8B);
        assertEquals(new RopeFrequencies.Llama3Scaling(8.0, 1.0, 4.0, 8192), c.ropeScaling());
        assertEquals(131072, c.maxPositionEmbeddings());
        assertEquals(new RopeFrequencies(500000.0, 128, new RopeFrequencies.Llama3Scaling(8.0, 1.0, 4.0, 8192)), c.ropeFrequencies());
        assertEquals(LlamaShapes.resolve("llama3.1-8b"), c);
    }

    @Test
    void readsLlama32_1bTied() throws Exception {
        LlamaConfig c = parse(LLAMA32_1B);
        assertTrue(c.tieWordEmbeddings());
        assertEquals(64, c.headDim());
        assertEquals(2048, c.hiddenSize());
        assertEquals(new RopeFrequencies.Llama3Scaling(32.0, 1.0, 4.0, 8192), c.ropeScaling());
        assertEquals(LlamaShapes.resolve("llama3.2-1b"), c);
    }

    @Test
    void readsTransformersV5RopeParameters() throws Exception {
        LlamaConfig v5 = parse(LLAMA32_1B_V5);
        LlamaConfig v4 = parse(LLAMA32_1B);
        assertEquals(List.of(128001, 128008, 128009), v5.eosTokenIds());
        assertEquals(DType.BF16, v5.dtype());
        assertEquals(500000.0, v5.ropeTheta());
        assertEquals(v4.ropeScaling(), v5.ropeScaling());
        assertEquals(new LlamaConfig(v4.hiddenSize(), v4.numHiddenLayers(), v4.numAttentionHeads(), v4.numKeyValueHeads(), v4.headDim(),
                v4.intermediateSize(), v4.vocabSize(), v4.rmsNormEps(), v4.ropeTheta(), v4.ropeScaling(), v4.maxPositionEmbeddings(),
                v4.tieWordEmbeddings(), v4.bosTokenId(), List.of(128001, 128008, 128009), null, v4.dtype(), v4.initializerRange()), v5);
    }

    @Test
    void readsV5DefaultRopeAndOlderTypeKey() throws Exception {
        LlamaConfig v5 = parse(LLAMA3_8B.replace("\"rope_scaling\": null,\n  \"rope_theta\": 500000.0,",
                "\"rope_parameters\": {\"rope_theta\": 500000.0, \"rope_type\": \"default\"},"));
        assertEquals(parse(LLAMA3_8B), v5);
        // Some Llama 3.1 repositories were rewritten with the older key "type" for transformers < 4.43.
        LlamaConfig older = parse(LLAMA31_8B.replace("\"rope_type\": \"llama3\"", "\"type\": \"llama3\""));
        assertEquals(parse(LLAMA31_8B), older);
    }

    @Test
    void appliesHuggingFaceDefaults() throws Exception {
        LlamaConfig c = parse("""
                {"model_type": "llama", "hidden_size": 96, "num_hidden_layers": 3, "num_attention_heads": 6,
                 "intermediate_size": 200, "vocab_size": 101}
                """);
        assertEquals(6, c.numKeyValueHeads());
        assertEquals(16, c.headDim());
        assertEquals(1e-6, c.rmsNormEps());
        assertEquals(10000.0, c.ropeTheta());
        assertNull(c.ropeScaling());
        assertEquals(2048, c.maxPositionEmbeddings());
        assertFalse(c.tieWordEmbeddings());
        assertNull(c.bosTokenId());
        assertEquals(List.of(), c.eosTokenIds());
        assertEquals(DType.F32, c.dtype());
        assertEquals(0.02, c.initializerRange());
    }

    @Test
    void roundTripsEveryExampleInTheCurrentFormat() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        for (String json : List.of(LLAMA3_8B, LLAMA31_8B, LLAMA32_1B, LLAMA32_1B_V5)) {
            LlamaConfig c = parse(json);
            String written = LlamaConfigJson.toJson(c);
            assertEquals(c, LlamaConfigJson.parse(written, "written"), written);
            JsonNode root = mapper.readTree(written);
            assertEquals("LlamaForCausalLM", root.get("architectures").get(0).asText());
            assertEquals("llama", root.get("model_type").asText());
            assertEquals("bfloat16", root.get("torch_dtype").asText());
            assertEquals(c.headDim(), root.get("head_dim").asInt());
            assertTrue(root.has("rope_theta") && root.has("rope_scaling"), "transformers 4.x rope keys: " + written);
            List<String> keys = new ArrayList<>();
            root.fieldNames().forEachRemaining(keys::add);
            List<String> sorted = new ArrayList<>(keys);
            sorted.sort(null);
            assertEquals(sorted, keys, "keys sorted as Hugging Face writes them");
            assertTrue(written.contains("\"hidden_size\": " + c.hiddenSize() + ",\n"), "json.dumps(indent=2) layout: " + written);
        }
        // The written file of a released config keeps its values field by field.
        JsonNode original = mapper.readTree(LLAMA31_8B);
        JsonNode written = mapper.readTree(LlamaConfigJson.toJson(parse(LLAMA31_8B)));
        for (String field : List.of("hidden_size", "intermediate_size", "num_attention_heads", "num_hidden_layers",
                "num_key_value_heads", "vocab_size", "max_position_embeddings", "bos_token_id", "eos_token_id", "rms_norm_eps",
                "rope_theta", "rope_scaling", "tie_word_embeddings", "torch_dtype", "attention_bias", "mlp_bias", "hidden_act")) {
            assertEquals(original.get(field), written.get(field), field);
        }
    }

    @Test
    void writesAndReadsFilesAtomically(@TempDir Path dir) throws Exception {
        LlamaConfig c = parse(LLAMA32_1B);
        LlamaConfigJson.write(c, dir);
        assertEquals(c, LlamaConfigJson.read(dir));
        assertEquals(c, LlamaConfigJson.read(dir.resolve("config.json")));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(dir.resolve("config.json")), files.toList(), "no temporary file left behind");
        }
        var e = assertThrows(java.nio.file.NoSuchFileException.class, () -> LlamaConfigJson.read(dir.resolve("missing")));
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
    }

    // ------------------------------------------------------------------------------------------ rejections

    /** Asserts the config is rejected with a message naming the file and containing every fragment. */
    private static void rejects(String json, String... fragments) {
        ConfigFormatException e = assertThrows(ConfigFormatException.class, () -> parse(json));
        assertTrue(e.getMessage().startsWith("test/config.json: "), e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message lacks '" + f + "': " + e.getMessage());
        }
    }

    @Test
    void rejectsOtherModelTypes() {
        rejects(LLAMA3_8B.replace("\"model_type\": \"llama\"", "\"model_type\": \"mistral\""), "'model_type'", "\"mistral\"");
        rejects(LLAMA3_8B.replace("\"model_type\": \"llama\",", ""), "'model_type'", "missing");
    }

    @Test
    void rejectsUnsupportedRopeTypes() {
        for (String type : List.of("yarn", "dynamic", "linear", "longrope")) {
            rejects(LLAMA31_8B.replace("\"rope_type\": \"llama3\"", "\"rope_type\": \"" + type + "\""),
                    "'rope_scaling.rope_type'", "\"" + type + "\"");
        }
        rejects(LLAMA3_8B.replace("\"rope_scaling\": null", "\"rope_scaling\": {\"type\": \"linear\", \"factor\": 4.0}"),
                "'rope_scaling.type'", "\"linear\"");
        rejects(LLAMA32_1B_V5.replace("\"rope_type\": \"llama3\"", "\"rope_type\": \"yarn\""), "'rope_parameters.rope_type'", "\"yarn\"");
        rejects(LLAMA3_8B.replace("\"rope_scaling\": null", "\"rope_scaling\": {\"factor\": 8.0}"), "'rope_scaling.rope_type'", "missing");
        rejects(LLAMA31_8B.replace("\"factor\": 8.0,", ""), "'rope_scaling.factor'", "missing");
        rejects(LLAMA31_8B.replace("\"high_freq_factor\": 4.0", "\"high_freq_factor\": 0.5"), "rope_scaling", "high_freq_factor=0.5");
        rejects(LLAMA3_8B.replace("\"rope_scaling\": null", "\"rope_scaling\": \"llama3\""), "'rope_scaling'", "JSON object");
        rejects(LLAMA3_8B.replace("\"rope_theta\": 500000.0", "\"rope_theta\": 0.5"), "rope_theta", "0.5");
    }

    @Test
    void rejectsBiasesActivationsAndQuantisation() {
        rejects(LLAMA3_8B.replace("\"attention_bias\": false", "\"attention_bias\": true"), "'attention_bias'", "true");
        rejects(LLAMA31_8B.replace("\"mlp_bias\": false", "\"mlp_bias\": true"), "'mlp_bias'", "true");
        rejects(LLAMA3_8B.replace("\"hidden_act\": \"silu\"", "\"hidden_act\": \"gelu\""), "'hidden_act'", "\"gelu\"");
        rejects(LLAMA3_8B.replace("\"pretraining_tp\": 1,", "\"quantization_config\": {\"quant_method\": \"fbgemm_fp8\"},"),
                "'quantization_config'");
        rejects(LLAMA3_8B.replace("\"torch_dtype\": \"bfloat16\"", "\"torch_dtype\": \"int8\""), "'torch_dtype'", "\"int8\"");
        rejects(LLAMA32_1B_V5.replace("\"dtype\": \"bfloat16\"", "\"dtype\": \"float64\""), "'dtype'", "\"float64\"");
    }

    @Test
    void rejectsBadSizes() {
        rejects(LLAMA3_8B.replace("\"hidden_size\": 4096", "\"hidden_size\": 0"), "hidden_size", "positive", "0");
        rejects(LLAMA3_8B.replace("\"num_hidden_layers\": 32", "\"num_hidden_layers\": -2"), "num_hidden_layers", "-2");
        rejects(LLAMA3_8B.replace("\"vocab_size\": 128256", "\"vocab_size\": \"128256\""), "'vocab_size'", "integer", "\"128256\"");
        rejects(LLAMA3_8B.replace("\"intermediate_size\": 14336", "\"intermediate_size\": 14336.5"), "'intermediate_size'", "14336.5");
        rejects(LLAMA3_8B.replace("\"hidden_size\": 4096,", ""), "'hidden_size'", "missing");
        rejects(LLAMA3_8B.replace("\"num_key_value_heads\": 8", "\"num_key_value_heads\": 5"),
                "num_key_value_heads (5) must divide num_attention_heads (32)");
        rejects(LLAMA3_8B.replace("\"hidden_size\": 4096", "\"hidden_size\": 4100"), "'head_dim'", "4100", "32");
        rejects(LLAMA32_1B.replace("\"head_dim\": 64", "\"head_dim\": 63"), "head_dim", "even", "63");
        rejects(LLAMA3_8B.replace("\"rms_norm_eps\": 1e-05", "\"rms_norm_eps\": 0"), "rms_norm_eps", "0.0");
        rejects(LLAMA3_8B.replace("\"bos_token_id\": 128000", "\"bos_token_id\": 200000"), "bos_token_id", "200000");
        rejects(LLAMA3_8B.replace("\"tie_word_embeddings\": false", "\"tie_word_embeddings\": \"no\""), "'tie_word_embeddings'", "\"no\"");
        rejects(LLAMA3_8B.replace("\"eos_token_id\": 128001", "\"eos_token_id\": [128001, \"x\"]"), "'eos_token_id'", "\"x\"");
    }

    @Test
    void rejectsMalformedJson() {
        rejects("{\"model_type\": \"llama\",", "not valid JSON");
        rejects("[1, 2]", "JSON object");
        rejects(LLAMA3_8B.replace("\"vocab_size\": 128256", "\"vocab_size\": 128256, \"hidden_size\": 8"), "not valid JSON",
                "Duplicate field 'hidden_size'");
    }

    @Test
    void parameterCountsOfReleasedModels() throws Exception {
        // Hugging Face's num_parameters(): 8,030,261,248 (Llama 3 8B), 1,235,814,400 (3.2 1B), 3,212,749,824 (3.2 3B).
        assertEquals(8_030_261_248L, parse(LLAMA3_8B).parameterCount());
        assertEquals(8_030_261_248L, parse(LLAMA31_8B).parameterCount());
        assertEquals(1_235_814_400L, parse(LLAMA32_1B).parameterCount());
        assertEquals(3_212_749_824L, LlamaShapes.resolve("llama3.2-3b").parameterCount());
        assertEquals(Arrays.asList(24, 8, 128, 3072), Arrays.asList(LlamaShapes.resolve("llama3.2-3b").numAttentionHeads(),
                LlamaShapes.resolve("llama3.2-3b").numKeyValueHeads(), LlamaShapes.resolve("llama3.2-3b").headDim(),
                LlamaShapes.resolve("llama3.2-3b").hiddenSize()));
    }
}
