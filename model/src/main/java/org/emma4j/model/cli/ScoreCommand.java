package org.emma4j.model.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.emma4j.model.eval.data.DataFiles;
import org.emma4j.model.eval.metrics.CorpusMetric;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Corpus BLEU, chrF, chrF++ or ROUGE of a hypothesis file against one or more reference files. */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = {"Score hypotheses against references, one segment per line, as sacreBLEU (bleu, chrf, chrf++) or",
                "rouge-score (rouge1, rouge2, rougeL: mean F-measure x 100) do by default. Several --refs give several references."})
final class ScoreCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--metric", required = true, paramLabel = "bleu|chrf|chrf++|rouge1|rouge2|rougeL", description = "The metric.")
    String metric;

    @Option(names = "--hyps", required = true, paramLabel = "FILE", description = "Hypotheses, one per line.")
    Path hyps;

    @Option(names = "--refs", required = true, paramLabel = "FILE", description = "References, one per line (repeatable).")
    List<Path> refs = new ArrayList<>();

    @Option(names = "--json", description = "Print a JSON object instead of a line of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        CorpusMetric m = CorpusMetric.parse(metric);
        List<String> hypotheses = DataFiles.lines(DataFiles.require(hyps, "hypothesis file"));
        List<List<String>> references = new ArrayList<>();
        for (Path r : refs) {
            List<String> lines = DataFiles.lines(DataFiles.require(r, "reference file"));
            if (lines.size() != hypotheses.size()) {
                throw new IllegalArgumentException("line counts differ: " + hyps + " has " + hypotheses.size() + " lines but " + r + " has "
                        + lines.size());
            }
            references.add(lines);
        }
        if (hypotheses.isEmpty()) {
            throw new IllegalArgumentException(hyps + " has no lines to score");
        }
        double score = m.score(hypotheses, references);
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode node = mapper.createObjectNode();
            node.put("metric", m.label());
            node.put("score", score);
            node.put("segments", hypotheses.size());
            node.put("hyps", hyps.toString());
            node.set("refs", mapper.valueToTree(refs.stream().map(Path::toString).toList()));
            out.println(mapper.writeValueAsString(node));
        } else {
            out.println(String.format(Locale.ROOT, "%s = %.4f (%d segments, %d reference%s)", m.label(), score, hypotheses.size(),
                    references.size(), references.size() == 1 ? "" : "s"));
        }
        out.flush();
        return 0;
    }
}
