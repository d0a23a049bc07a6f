package org.emma4j.model.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.emma4j.kernels.Backend;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.TensorScope;
import org.emma4j.kernels.cpu.CpuPool;
import org.emma4j.model.checkpoint.LlamaCheckpoint;
import org.emma4j.model.checkpoint.LlamaCheckpointWriter;
import org.emma4j.model.checkpoint.LlamaWeights;
import org.emma4j.model.checkpoint.RandomWeights;
import org.emma4j.model.config.LlamaConfig;
import org.emma4j.model.config.LlamaShapes;

/**
 * The weights a new run starts from: a released checkpoint's (weights only; the optimizer, the step and
 * the data position start fresh), or a shape's random initialisation. Either way F32 masters in the
 * backend's memory.
 *
 * @param tokenizer where the tokenizer files for checkpoints come from, or null
 * @param origin    what the weights are, for the log
 */
record InitialWeights(LlamaConfig model, LlamaWeights master, Path tokenizer, String origin) {

    /** @param hostThreads threads that generate random weights on the host (the values do not depend on the count) */
    static InitialWeights load(TrainConfig.Model m, long runSeed, Backend backend, TensorScope scope, int hostThreads) throws IOException {
        Path tokenizer = m.tokenizer() == null ? null : Path.of(m.tokenizer());
        if (m.initFrom() != null) {
            Path dir = Path.of(m.initFrom());
            try (LlamaCheckpoint ckpt = LlamaCheckpoint.open(dir)) {
                LlamaWeights master = ckpt.copyTo(backend, scope, DType.F32);
                if (tokenizer == null && hasTokenizer(dir)) {
                    tokenizer = dir;
                }
                return new InitialWeights(ckpt.config().withDType(DType.F32), master, tokenizer,
                        "weights of " + dir + " (" + ckpt.config().dtype() + " on disk; fresh optimizer, step 0)");
            }
        }
        LlamaConfig model = LlamaShapes.resolve(m.shape()).withDType(DType.F32);
        if (m.vocabSize() != null) {
            model = model.withVocabSize(m.vocabSize());
        }
        if (m.tieEmbeddings() != null) {
            model = model.withTiedEmbeddings(m.tieEmbeddings());
        }
        long seed = m.seed() != null ? m.seed() : runSeed;
        // Random weights are generated on the host and uploaded, whatever the backend; a pool of its own keeps
        // this independent of the backend's threads (a GPU backend has none).
        LlamaWeights master;
        try (CpuPool pool = new CpuPool(hostThreads)) {
            master = RandomWeights.create(model, seed, backend, scope, pool);
        }
        return new InitialWeights(model, master, tokenizer, "random " + m.shape() + " initialisation (seed " + seed + ")");
    }

    /** Whether {@code dir} has tokenizer files worth copying into checkpoints. */
    static boolean hasTokenizer(Path dir) {
        return LlamaCheckpointWriter.TOKENIZER_FILES.stream()
                .anyMatch(f -> (f.equals("tokenizer.json") || f.equals("tokenizer.model")) && Files.isRegularFile(dir.resolve(f)));
    }
}
