package org.emma4j.model.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.emma4j.kernels.Backend;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorScope;
import org.emma4j.model.config.LlamaConfig;
import org.emma4j.model.config.LlamaConfigJson;
import org.emma4j.model.io.HfJson;
import org.emma4j.model.safetensors.ShardedSafetensors;

/**
 * An open Hugging Face Llama model directory: its {@code config.json}, and its safetensors weights mapped
 * into memory and checked against the config. {@link #weights()} are zero-copy and read-only (CPU
 * inference straight from the page cache); {@link #copyTo} makes writable copies in a backend's memory in a
 * chosen dtype (training, CUDA). Closing unmaps the files; copies made by {@code copyTo} stay valid.
 *
 * <pre>{@code
 * try (LlamaCheckpoint ckpt = LlamaCheckpoint.open(Path.of("Llama-3.2-1B"))) {
 *     LlamaConfig config = ckpt.config();
 *     LlamaWeights mapped = ckpt.weights();                               // zero-copy, host
 *     LlamaWeights f32 = ckpt.copyTo(backend, paramScope, DType.F32);     // owned by paramScope
 * }
 * }</pre>
 */
public final class LlamaCheckpoint implements AutoCloseable {
    /** Hugging Face's generation defaults file. */
    public static final String GENERATION_CONFIG = "generation_config.json";

    private final Path directory;
    private final LlamaConfig config;
    private final ShardedSafetensors files;
    private final LlamaWeights weights;

    private LlamaCheckpoint(Path directory, LlamaConfig config, ShardedSafetensors files, LlamaWeights weights) {
        this.directory = directory;
        this.config = config;
        this.files = files;
        this.weights = weights;
    }

    /** Reads the config, maps the safetensors files and binds every weight, failing on any mismatch. */
    public static LlamaCheckpoint open(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new java.nio.file.NoSuchFileException(directory.toString(), null, "not a model directory");
        }
        LlamaConfig config = LlamaConfigJson.read(directory.resolve(LlamaConfigJson.FILE_NAME));
        ShardedSafetensors files = ShardedSafetensors.open(directory);
        try {
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (String name : files.names()) {
                tensors.put(name, files.tensor(name));
            }
            LlamaWeights weights = LlamaWeights.fromTensors(config, tensors, name -> files.fileOf(name).toString());
            return new LlamaCheckpoint(directory, config, files, weights);
        } catch (IOException | RuntimeException | Error e) {
            files.close();
            throw e;
        }
    }

    public Path directory() {
        return directory;
    }

    public LlamaConfig config() {
        return config;
    }

    /** The weights as zero-copy, read-only views of the mapped files; valid until {@link #close()}. */
    public LlamaWeights weights() {
        return weights;
    }

    /** Copies the weights into {@code backend} memory owned by {@code scope}, converted to {@code dtype}. */
    public LlamaWeights copyTo(Backend backend, TensorScope scope, DType dtype) {
        return WeightTransfer.copyTo(weights, backend, scope, dtype);
    }

    /** The directory's {@code generation_config.json}, or null when it has none. */
    public JsonNode generationConfig() throws IOException {
        Path p = directory.resolve(GENERATION_CONFIG);
        if (!Files.isRegularFile(p)) {
            return null;
        }
        try {
            return HfJson.strictMapper().readTree(Files.readString(p));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(p + ": not valid JSON (" + e.getOriginalMessage() + ")", e);
        }
    }

    /** Unmaps the checkpoint files; the zero-copy weights become unusable. */
    @Override
    public void close() {
        files.close();
    }
}
