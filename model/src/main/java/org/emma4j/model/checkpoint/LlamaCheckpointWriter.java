package org.emma4j.model.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.emma4j.kernels.Backend;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.Tensor;
import org.emma4j.model.config.LlamaConfig;
import org.emma4j.model.config.LlamaConfigJson;
import org.emma4j.model.io.AtomicFiles;
import org.emma4j.model.io.HfJson;
import org.emma4j.model.safetensors.ShardedSafetensorsWriter;
import org.emma4j.model.safetensors.TensorSource;
import org.emma4j.model.safetensors.WriteProgress;

/**
 * Writes a Hugging Face model directory that transformers (and {@link LlamaCheckpoint}) load:
 * {@code config.json}, {@code generation_config.json}, the tokenizer files when a tokenizer directory is
 * given, and the weights as safetensors (sharded past {@link Options#maxShardBytes}). The directory appears
 * atomically: everything is written into a temporary sibling, fsynced, then renamed into place, so a crash
 * mid-save (a training checkpoint, say) never leaves a half-written model under the final name.
 */
public final class LlamaCheckpointWriter {
    private LlamaCheckpointWriter() {
    }

    /** Tokenizer files copied from a tokenizer directory when present. */
    public static final List<String> TOKENIZER_FILES =
            List.of("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "tokenizer.model");

    /**
     * How to write.
     *
     * @param maxShardBytes      largest safetensors shard (Hugging Face's max_shard_size, default 5 GB)
     * @param tokenizerDirectory where to copy tokenizer files from, or null for none
     * @param generationConfig   the generation_config.json to write, or null for one derived from the config
     * @param overwrite          whether an existing non-empty directory may be replaced
     */
    public record Options(long maxShardBytes, Path tokenizerDirectory, JsonNode generationConfig, boolean overwrite) {
        public Options {
            if (maxShardBytes <= 0) {
                throw new IllegalArgumentException("max shard size must be positive, found " + maxShardBytes);
            }
        }

        public static Options defaults() {
            return new Options(ShardedSafetensorsWriter.DEFAULT_MAX_SHARD_BYTES, null, null, false);
        }

        public Options withMaxShardBytes(long bytes) {
            return new Options(bytes, tokenizerDirectory, generationConfig, overwrite);
        }

        public Options withTokenizer(Path dir) {
            return new Options(maxShardBytes, dir, generationConfig, overwrite);
        }

        public Options withGenerationConfig(JsonNode json) {
            return new Options(maxShardBytes, tokenizerDirectory, json, overwrite);
        }

        public Options withOverwrite(boolean allow) {
            return new Options(maxShardBytes, tokenizerDirectory, generationConfig, allow);
        }
    }

    /**
     * Writes weights held by {@code backend} (or host weights with the CPU backend) in {@code fileDtype}, converting
     * as needed; the config's torch_dtype becomes {@code fileDtype}.
     */
    public static void write(Path directory, LlamaConfig config, LlamaWeights weights, Backend backend, DType fileDtype,
                             Options options, WriteProgress progress) throws IOException {
        List<TensorSource> sources = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : weights.byName().entrySet()) {
            Tensor t = e.getValue();
            sources.add(new TensorSource(e.getKey(), fileDtype, t.shape(), dst -> TensorTransfer.download(backend, t, dst, fileDtype)));
        }
        write(directory, config.withDType(fileDtype), sources, options, progress);
    }

    /**
     * Writes tensors produced on demand (see {@link TensorSource}); they must be exactly the weights the config
     * implies, with its shapes and all in the config's dtype. Checked before anything is written.
     */
    public static void write(Path directory, LlamaConfig config, List<TensorSource> tensors, Options options,
                             WriteProgress progress) throws IOException {
        checkAgainstConfig(config, tensors);
        List<Path> tokenizerFiles = tokenizerFiles(options.tokenizerDirectory());
        String generation = HfJson.pretty(options.generationConfig() != null ? options.generationConfig() : generationConfigFor(config));
        AtomicFiles.writeDirectory(directory, options.overwrite(), tmp -> {
            Files.writeString(tmp.resolve(LlamaConfigJson.FILE_NAME), LlamaConfigJson.toJson(config));
            Files.writeString(tmp.resolve(LlamaCheckpoint.GENERATION_CONFIG), generation);
            for (Path f : tokenizerFiles) {
                Files.copy(f, tmp.resolve(f.getFileName().toString()));
            }
            ShardedSafetensorsWriter.write(tmp, tensors, options.maxShardBytes(), progress);
        });
    }

    /** Hugging Face's minimal generation config: the special tokens from config.json. */
    public static ObjectNode generationConfigFor(LlamaConfig config) {
        ObjectNode g = JsonNodeFactory.instance.objectNode();
        g.put("_from_model_config", true);
        if (config.bosTokenId() != null) {
            g.put("bos_token_id", config.bosTokenId());
        }
        if (config.eosTokenIds().size() == 1) {
            g.put("eos_token_id", config.eosTokenIds().getFirst());
        } else if (!config.eosTokenIds().isEmpty()) {
            ArrayNode eos = g.putArray("eos_token_id");
            config.eosTokenIds().forEach(eos::add);
        }
        if (config.padTokenId() != null) {
            g.put("pad_token_id", config.padTokenId());
        }
        return g;
    }

    private static void checkAgainstConfig(LlamaConfig config, List<TensorSource> tensors) {
        Map<String, TensorSource> byName = new HashMap<>();
        for (TensorSource t : tensors) {
            if (byName.put(t.name(), t) != null) {
                throw new IllegalArgumentException("tensor '" + t.name() + "' is given twice");
            }
        }
        List<LlamaTensorSpec> specs = LlamaTensorNames.specs(config);
        for (LlamaTensorSpec s : specs) {
            TensorSource t = byName.remove(s.name());
            if (t == null) {
                throw new IllegalArgumentException("cannot write the model: tensor '" + s.name() + "' is missing");
            }
            if (!s.matches(t.shape())) {
                throw new IllegalArgumentException("cannot write the model: tensor '" + s.name() + "' has shape "
                        + Arrays.toString(t.shape()) + ", the config needs " + Arrays.toString(s.shape()) + " = " + s.shapeMeaning());
            }
            if (t.dtype() != config.dtype()) {
                throw new IllegalArgumentException("cannot write the model: tensor '" + s.name() + "' is " + t.dtype()
                        + " but config.json will say torch_dtype " + LlamaConfigJson.torchDTypeName(config.dtype()));
            }
        }
        if (!byName.isEmpty()) {
            throw new IllegalArgumentException("cannot write the model: tensors " + byName.keySet() + " are not part of it");
        }
    }

    private static List<Path> tokenizerFiles(Path dir) throws IOException {
        if (dir == null) {
            return List.of();
        }
        if (!Files.isDirectory(dir)) {
            throw new java.nio.file.NoSuchFileException(dir.toString(), null, "tokenizer directory not found");
        }
        List<Path> found = new ArrayList<>();
        for (String name : TOKENIZER_FILES) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                found.add(p);
            }
        }
        if (found.stream().noneMatch(p -> p.endsWith("tokenizer.json") || p.endsWith("tokenizer.model"))) {
            throw new java.nio.file.NoSuchFileException(dir.toString(), null, "no tokenizer.json or tokenizer.model to copy");
        }
        return found;
    }
}
