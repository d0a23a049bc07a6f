package org.emma4j.model.train;

import com.fasterxml.jackson.core.JacksonException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.emma4j.kernels.Backend;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.TensorScope;
import org.emma4j.model.checkpoint.LlamaCheckpoint;
import org.emma4j.model.checkpoint.LlamaCheckpointWriter;
import org.emma4j.model.checkpoint.LlamaWeights;
import org.emma4j.model.config.LlamaConfig;
import org.emma4j.model.io.HfJson;
import org.emma4j.model.safetensors.WriteProgress;

/**
 * What one training checkpoint directory holds, and how it is written and read back:
 * <ul>
 *   <li>a Hugging Face model directory ({@code config.json}, {@code generation_config.json},
 *       {@code model.safetensors}, tokenizer files when known) in the checkpoint dtype, loadable by
 *       transformers and {@link LlamaCheckpoint};</li>
 *   <li>{@code optimizer.safetensors}: the AdamW moments, plus the exact F32 masters when the model weights are BF16;</li>
 *   <li>{@code train_config.yaml}: the resolved config of the run;</li>
 *   <li>{@code trainer_state.json}: step, optimizer steps, tokens, data position, seed, threads — written last.</li>
 * </ul>
 */
final class RunCheckpoint {
    private RunCheckpoint() {
    }

    static final String CONFIG_FILE = "train_config.yaml";

    /** Everything a checkpoint saves. */
    record Contents(LlamaConfig model, LlamaWeights master, Backend backend, DType weightDtype, Path tokenizer, AdamW adam,
                    TrainerState state, TrainConfig config) {
    }

    /** Writes a checkpoint's files into {@code dir} (an empty directory that will be renamed into place). */
    static void writeInto(Path dir, Contents c) throws IOException {
        LlamaCheckpointWriter.Options options = LlamaCheckpointWriter.Options.defaults().withTokenizer(c.tokenizer());
        LlamaCheckpointWriter.write(dir, c.model(), c.master(), c.backend(), c.weightDtype(), options, WriteProgress.NONE);
        OptimizerStateFile.write(dir, c.backend(), c.adam(), c.weightDtype() == DType.F32 ? null : c.master());
        Files.writeString(dir.resolve(CONFIG_FILE), TrainConfigReader.toYaml(c.config()));
        Files.writeString(dir.resolve(TrainerState.FILE), HfJson.pretty(HfJson.strictMapper().valueToTree(c.state())));
    }

    static TrainerState readState(Path dir) throws IOException {
        Path file = dir.resolve(TrainerState.FILE);
        try {
            return HfJson.strictMapper().readValue(Files.readString(file), TrainerState.class);
        } catch (JacksonException e) {
            throw new IOException(file + ": not a trainer state (" + e.getOriginalMessage() + ")", e);
        }
    }

    /** The run's resolved config as saved, with {@code overrides} applied. */
    static TrainConfig readConfig(Path dir, List<String> overrides) throws IOException {
        return TrainConfigReader.read(dir.resolve(CONFIG_FILE), overrides);
    }

    /**
     * The model config and F32 masters (in {@code scope}) of a checkpoint, and its optimizer state restored into
     * the AdamW {@code newAdam} makes for those masters.
     */
    static Restored restore(Path dir, Backend backend, TensorScope scope, java.util.function.Function<LlamaWeights, AdamW> newAdam,
                            long optimizerSteps) throws IOException {
        LlamaConfig model;
        LlamaWeights master;
        DType fileDtype;
        try (LlamaCheckpoint ckpt = LlamaCheckpoint.open(dir)) {
            model = ckpt.config();
            fileDtype = model.dtype();
            master = ckpt.copyTo(backend, scope, DType.F32);
        }
        AdamW adam = newAdam.apply(master);
        boolean exactMasters = OptimizerStateFile.read(dir, backend, adam, master);
        if (fileDtype != DType.F32 && !exactMasters) {
            throw new IOException(dir + ": the model weights are " + fileDtype + " and " + OptimizerStateFile.FILE
                    + " holds no F32 master weights, so the run cannot be resumed exactly");
        }
        adam.setSteps(optimizerSteps);
        return new Restored(model.withDType(DType.F32), master, adam);
    }

    record Restored(LlamaConfig model, LlamaWeights master, AdamW adam) {
    }
}
