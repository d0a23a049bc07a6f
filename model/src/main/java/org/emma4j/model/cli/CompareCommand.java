package org.emma4j.model.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.emma4j.model.eval.report.ComparisonChart;
import org.emma4j.model.eval.report.EvalResults;
import org.emma4j.model.eval.report.MarkdownTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Two result files of {@code emma4j eval} side by side: a Markdown table and a PNG bar chart. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Compare two results files of 'emma4j eval': prints a table (B - A) and writes a PNG bar chart.")
final class CompareCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "A.json", description = "The first run.")
    Path a;

    @Parameters(index = "1", paramLabel = "B.json", description = "The second run.")
    Path b;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "comparison.png", description = "The chart (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        System.setProperty("java.awt.headless", "true");
        PrintWriter stdout = spec.commandLine().getOut();
        EvalResults ra = EvalResults.read(a);
        EvalResults rb = EvalResults.read(b);
        String nameA = label(a);
        String nameB = label(b);
        if (nameA.equals(nameB)) {
            nameA = "A: " + nameA;
            nameB = "B: " + nameB;
        }
        stdout.print(MarkdownTable.comparison(ra, rb, nameA, nameB));
        int panels = ComparisonChart.write(ra, rb, nameA, nameB, out);
        stdout.flush();
        spec.commandLine().getErr().println("emma4j compare: chart with " + panels + " panel" + (panels == 1 ? "" : "s") + " written to " + out);
        return 0;
    }

    private static String label(Path p) {
        String name = p.getFileName().toString();
        return name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
    }
}
