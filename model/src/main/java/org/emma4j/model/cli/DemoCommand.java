package org.emma4j.model.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.emma4j.kernels.Backend;
import org.emma4j.model.demo.DemoPlan;
import org.emma4j.model.demo.UdhrAblation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The bundled demo: the EMMA-500 mono-vs-bilingual ablation in miniature on the UDHR corpus ({@link UdhrAblation}). */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"The paper's ablation in miniature on the bundled UDHR corpus: train a BPE tokenizer, pre-train a small",
                "Llama 3-shaped model on 8 languages, continue its pre-training on a monolingual mix and on a mix with",
                "English-X pairs (same token budget), evaluate both on the held-out articles 27-30 (perplexity; chrF++ of",
                "3-shot translation into and out of English) and print the comparison; a few minutes on 2 cores."})
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--out", defaultValue = "runs/demo", paramLabel = "DIR", description = "The run directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--corpus", defaultValue = "data/udhr/corpus", paramLabel = "DIR",
            description = "The UDHR corpus (default: ${DEFAULT-VALUE}, relative to the working directory, else to the emma4j repository).")
    Path corpus;

    @Option(names = "--quick", description = "A tiny version (English and French, a few steps): seconds, for a smoke test.")
    boolean quick;

    @Option(names = "--seed", defaultValue = "500", description = "Seed of the data mixes, initial weights and few-shot choice "
            + "(default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    DeviceOption device;

    @Spec
    CommandSpec spec;

    @Option(names = "--force", description = "Replace the run directory if it is not empty.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        String home = System.getenv("EMMA4J_HOME");
        if (!corpus.isAbsolute() && !java.nio.file.Files.isDirectory(corpus) && home != null) {
            corpus = Path.of(home).resolve(corpus); // the launcher says where the repository (and its bundled corpus) is
        }
        if (!java.nio.file.Files.isDirectory(corpus)) {
            throw new IllegalArgumentException("the UDHR corpus is not at " + corpus.toAbsolutePath()
                    + "; run from the emma4j repository root or pass --corpus data/udhr/corpus");
        }
        int threads = device.threads() == null ? 0 : device.threads(); // 0: every core
        var options = new UdhrAblation.Options(corpus, out, quick ? DemoPlan.quick() : DemoPlan.full(), seed, threads, force);
        PrintWriter err = spec.commandLine().getErr();
        // The backend comes first: --device cuda without a usable GPU fails before the run directory is touched.
        try (Backend backend = device.create(err, threads == 0 ? null : threads)) {
            UdhrAblation.run(options, backend, System.out);
        }
        return 0;
    }
}
