package org.emma4j.model.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.emma4j.kernels.Backend;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.cpu.CpuPool;
import org.emma4j.model.checkpoint.LlamaCheckpointWriter;
import org.emma4j.model.checkpoint.RandomInit;
import org.emma4j.model.config.LlamaConfig;
import org.emma4j.model.llama.LlamaModel;
import org.emma4j.model.safetensors.WriteProgress;
import org.emma4j.model.tokenizer.Llama3Tokenizer;
import org.emma4j.model.tokenizer.SyntheticVocabulary;

/**
 * A tiny random Llama model directory for evaluation tests: a random byte-level BPE tokenizer over the letters
 * a–f and é ({@link SyntheticVocabulary}) and random weights with a wide initialisation (std 0.3) so that the
 * next-token distributions are far from uniform. Written to disk and loaded through {@link LlamaModel}, the
 * same path the eval command takes.
 */
public final class TinyLlama {
    private TinyLlama() {
    }

    /** Writes the model under {@code dir} and loads it with the given context and prefill chunk. */
    public static LlamaModel create(Path dir, Backend backend, long seed, int maxContext, int prefillChunk) throws IOException {
        return LlamaModel.load(write(dir, seed), backend, new LlamaModel.Options(null, maxContext, prefillChunk, DType.F32));
    }

    /** Writes the model directory (with its tokenizer.json) under {@code dir} and returns it. */
    public static Path write(Path dir, long seed) throws IOException {
        Path tokDir = dir.resolve("tokenizer");
        java.nio.file.Files.createDirectories(tokDir);
        SyntheticVocabulary.random(new SplittableRandom(seed), 60).writeTokenizerJson(tokDir, false, false);
        Llama3Tokenizer tok = Llama3Tokenizer.load(tokDir);
        LlamaConfig config = new LlamaConfig(32, 2, 4, 2, 8, 48, tok.vocabSize(), 1e-5, 10000, null, 512, false, tok.bosId(),
                List.of(tok.eosId()), null, DType.F32, 0.3);
        Path modelDir = dir.resolve("model");
        try (CpuPool pool = new CpuPool(1)) {
            LlamaCheckpointWriter.write(modelDir, config, RandomInit.sources(config, seed, pool),
                    LlamaCheckpointWriter.Options.defaults().withTokenizer(tokDir), WriteProgress.NONE);
        }
        return modelDir;
    }
}
