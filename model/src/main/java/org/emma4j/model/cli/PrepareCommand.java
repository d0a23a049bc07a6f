package org.emma4j.model.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.emma4j.model.data.BadInputException;
import org.emma4j.model.data.prepare.DataPreparer;
import org.emma4j.model.data.prepare.PrepareOptions;
import org.emma4j.model.data.shards.ShardIndex;
import org.emma4j.model.data.shards.SplitInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Tokenizes, mixes and packs a data mix into token shards ({@link DataPreparer}). */
@Command(name = "prepare", mixinStandardHelpOptions = true,
        description = {"Tokenize a data mix on all cores, pack it into fixed-length sequences and write token shards",
                "(train and validation), index.json and stats.json into a new directory."})
final class PrepareCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "MIX.yaml", description = "The mix config (YAML).")
    Path config;

    @Option(names = "--tokenizer", required = true, paramLabel = "PATH",
            description = "A tokenizer.json, a tokenizer.model, or a model directory holding one.")
    Path tokenizer;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The shards directory to create.")
    Path out;

    @Option(names = "--skip-bad", description = "Skip bad input lines and count them in stats.json, instead of stopping at the first.")
    boolean skipBad;

    @Option(names = "--threads", paramLabel = "N", description = "Tokenizer threads (default: all cores).")
    Integer threads;

    @Option(names = "--force", description = "Replace DIR if it exists and is not empty.")
    boolean force;

    @Option(names = "--quiet", description = "No progress line on stderr.")
    boolean quiet;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (n < 1) {
            throw new IllegalArgumentException("--threads must be positive, found " + n);
        }
        ShardIndex index;
        try {
            index = DataPreparer.run(new PrepareOptions(config, tokenizer, out, skipBad, n, force, quiet ? null : System.err));
        } catch (BadInputException e) {
            throw new IllegalArgumentException(e.getMessage() + " (use --skip-bad to skip such lines and count them in stats.json)", e);
        }
        for (var e : index.splits().entrySet()) {
            SplitInfo s = e.getValue();
            spec.commandLine().getOut().printf(Locale.ROOT, "%s: %d sequences of %d tokens (%d documents, %d tokens) in %d shard(s)%n",
                    e.getKey(), s.sequences(), index.sequenceLength(), s.documents(), s.validTokens(), s.shards().size());
        }
        spec.commandLine().getOut().println("wrote " + out + " (index.json, stats.json)");
        spec.commandLine().getOut().flush();
        return 0;
    }
}
