package org.emma4j.model.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.emma4j.kernels.cpu.CpuPool;
import org.emma4j.model.checkpoint.LlamaCheckpointWriter;
import org.emma4j.model.checkpoint.RandomInit;
import org.emma4j.model.config.LlamaConfig;
import org.emma4j.model.config.LlamaShapes;
import org.emma4j.model.io.ByteSizes;
import org.emma4j.model.safetensors.TensorSource;
import org.emma4j.model.safetensors.WriteProgress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Writes a randomly initialised Llama model as a Hugging Face directory. */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = {"Write a randomly initialised Llama model (config.json, safetensors, generation_config.json) to a directory.",
                "Weights are normal(0, 0.02) and norms one, as Hugging Face initialises Llama; the same seed gives the same bytes."})
final class InitCommand implements Callable<Integer> {

    @Option(names = "--shape", required = true, paramLabel = "SHAPE",
            description = "A named shape (llama3-8b, llama3.1-8b, llama3.2-1b, llama3.2-3b, tiny, tiny-rope-scaled, small) or explicit"
                    + " sizes, e.g. dim=768,layers=12,heads=12,kv-heads=4,ffn=2048,vocab=32000"
                    + " (also head-dim, theta, max-pos, eps, tied).")
    String shape;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The model directory to create.")
    Path out;

    @Option(names = "--seed", defaultValue = "0", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--dtype", defaultValue = "bf16", paramLabel = "bf16|f32", description = "Weight dtype (default: ${DEFAULT-VALUE}).")
    String dtype;

    @Option(names = "--vocab", paramLabel = "N", description = "Vocabulary size, overriding the shape's (128256 for Llama 3).")
    Integer vocab;

    @Option(names = "--tie-embeddings", description = "Share the embedding matrix with the LM head.")
    boolean tieEmbeddings;

    @Option(names = "--max-shard-size", defaultValue = "5GB", paramLabel = "SIZE",
            description = "Largest safetensors shard, as Hugging Face's max_shard_size (default: ${DEFAULT-VALUE}).")
    String maxShardSize;

    @Option(names = "--tokenizer", paramLabel = "DIR", description = "Copy tokenizer.json, tokenizer_config.json, "
            + "special_tokens_map.json and tokenizer.model from this directory.")
    Path tokenizer;

    @Option(names = "--force", description = "Replace DIR if it already exists and is not empty.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        LlamaConfig config = LlamaShapes.resolve(shape).withDType(CliParsing.floatDType("--dtype", dtype));
        if (vocab != null) {
            config = config.withVocabSize(vocab);
        }
        if (tieEmbeddings) {
            config = config.withTiedEmbeddings(true);
        }
        long maxShard = ByteSizes.parse(maxShardSize);
        PrintStream err = System.err;
        try (CpuPool pool = new CpuPool(Runtime.getRuntime().availableProcessors())) {
            List<TensorSource> sources = RandomInit.sources(config, seed, pool);
            long total = 0;
            for (TensorSource s : sources) {
                total += s.byteSize();
            }
            err.printf(Locale.ROOT, "init: %s, %,d parameters (%s %s), seed %d -> %s%n", shape, config.parameterCount(),
                    ByteSizes.format(total), config.dtype(), seed, out);
            LlamaCheckpointWriter.Options options = LlamaCheckpointWriter.Options.defaults()
                    .withMaxShardBytes(maxShard).withTokenizer(tokenizer).withOverwrite(force);
            long started = System.nanoTime();
            LlamaCheckpointWriter.write(out, config, sources, options, progress(err, total));
            err.printf(Locale.ROOT, "init: wrote %s in %.1f s%n", out, (System.nanoTime() - started) / 1e9);
        }
        return 0;
    }

    /** Prints a line per percent for big models (an 8B init writes 16 GB); silent for small ones. */
    private static WriteProgress progress(PrintStream err, long total) {
        if (total < 256L << 20) {
            return WriteProgress.NONE;
        }
        long[] done = {0};
        int[] lastPercent = {-1};
        return (tensor, bytes) -> {
            done[0] += bytes;
            int percent = (int) (100 * done[0] / total);
            if (percent != lastPercent[0]) {
                lastPercent[0] = percent;
                err.printf(Locale.ROOT, "init: %3d%%  %s of %s  %s%n", percent, ByteSizes.format(done[0]), ByteSizes.format(total), tensor);
            }
        };
    }
}
