package org.emma4j.model.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.emma4j.kernels.Backend;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.Tensor;
import org.emma4j.model.checkpoint.LlamaWeights;
import org.emma4j.model.checkpoint.TensorTransfer;
import org.emma4j.model.safetensors.SafetensorsEntry;
import org.emma4j.model.safetensors.SafetensorsFile;
import org.emma4j.model.safetensors.SafetensorsWriter;
import org.emma4j.model.safetensors.TensorSource;
import org.emma4j.model.safetensors.WriteProgress;

/**
 * {@code optimizer.safetensors} in a checkpoint: AdamW's F32 moments as {@code <weight>.exp_avg} and
 * {@code <weight>.exp_avg_sq}, and, when the checkpoint's Hugging Face weights are not F32, the exact F32
 * master weights under their own names, so that a resumed run starts from bit-identical state.
 */
final class OptimizerStateFile {
    private OptimizerStateFile() {
    }

    static final String FILE = "optimizer.safetensors";
    static final String FIRST = ".exp_avg";
    static final String SECOND = ".exp_avg_sq";

    /** Writes the moments, and {@code masters} when non-null. */
    static void write(Path dir, Backend backend, AdamW adam, LlamaWeights masters) throws IOException {
        List<TensorSource> sources = new ArrayList<>();
        addAll(sources, backend, adam.firstMoment(), FIRST);
        addAll(sources, backend, adam.secondMoment(), SECOND);
        if (masters != null) {
            addAll(sources, backend, masters, "");
        }
        Map<String, String> metadata = new LinkedHashMap<>(SafetensorsWriter.PYTORCH_METADATA);
        metadata.put("optimizer", "adamw");
        metadata.put("optimizer_steps", Long.toString(adam.steps()));
        SafetensorsWriter.write(dir.resolve(FILE), sources, metadata, WriteProgress.NONE);
    }

    private static void addAll(List<TensorSource> out, Backend backend, LlamaWeights weights, String suffix) {
        for (Map.Entry<String, Tensor> e : weights.byName().entrySet()) {
            Tensor t = e.getValue();
            out.add(new TensorSource(e.getKey() + suffix, DType.F32, t.shape(), dst -> TensorTransfer.download(backend, t, dst, DType.F32)));
        }
    }

    /**
     * Restores the moments into {@code adam} and, when the file holds them, the masters into {@code masters}.
     *
     * @return whether the file held master weights
     */
    static boolean read(Path dir, Backend backend, AdamW adam, LlamaWeights masters) throws IOException {
        Path path = dir.resolve(FILE);
        if (!Files.isRegularFile(path)) {
            throw new java.nio.file.NoSuchFileException(path.toString(), null, "the checkpoint has no optimizer state");
        }
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            restore(file, backend, adam.firstMoment(), FIRST);
            restore(file, backend, adam.secondMoment(), SECOND);
            String anyWeight = masters.byName().keySet().iterator().next();
            boolean hasMasters = file.contains(anyWeight);
            if (hasMasters) {
                restore(file, backend, masters, "");
            }
            return hasMasters;
        }
    }

    private static void restore(SafetensorsFile file, Backend backend, LlamaWeights into, String suffix) throws IOException {
        for (Map.Entry<String, Tensor> e : into.byName().entrySet()) {
            String name = e.getKey() + suffix;
            if (!file.contains(name)) {
                throw new java.io.IOException(file.path() + ": tensor '" + name + "' is missing (is this checkpoint from another model?)");
            }
            SafetensorsEntry entry = file.entry(name);
            Tensor dst = e.getValue();
            if (entry.dtype() != DType.F32 || !Arrays.equals(entry.shape(), dst.shape())) {
                throw new java.io.IOException(file.path() + ": tensor '" + name + "' is " + entry.dtype() + " " + Arrays.toString(entry.shape())
                        + ", expected F32 " + Arrays.toString(dst.shape()));
            }
            TensorTransfer.upload(backend, dst, file.tensor(name));
        }
    }
}
