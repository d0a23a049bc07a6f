package org.emma4j.model.eval.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.emma4j.model.eval.tasks.LanguageResult;

/** Results as GitHub-flavoured Markdown tables. */
public final class MarkdownTable {
    private MarkdownTable() {
    }

    static String number(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        if (a != 0 && (a >= 1e6 || a < 1e-3)) {
            return String.format(Locale.ROOT, "%.3e", v);
        }
        return String.format(Locale.ROOT, a >= 100 ? "%.2f" : "%.4f", v);
    }

    static String row(List<String> cells) {
        return "| " + String.join(" | ", cells) + " |\n";
    }

    /** The header separator: the first {@code textColumns} columns left-aligned, the rest (numbers) right-aligned. */
    static String separator(int columns, int textColumns) {
        List<String> cells = new ArrayList<>();
        for (int i = 0; i < columns; i++) {
            cells.add(i < textColumns ? "---" : "---:");
        }
        return row(cells);
    }

    /** One table per task: a row per language (with its example count) and the average. */
    public static String results(EvalResults results) {
        StringBuilder sb = new StringBuilder();
        for (TaskResults t : results.tasks()) {
            sb.append("### ").append(t.task()).append("\n\n");
            List<String> header = new ArrayList<>(List.of("language", "examples"));
            header.addAll(t.metricNames());
            sb.append(row(header)).append(separator(header.size(), 1));
            for (LanguageResult r : t.languages()) {
                List<String> cells = new ArrayList<>(List.of(r.language(), Integer.toString(r.examples())));
                for (String m : t.metricNames()) {
                    cells.add(number(r.metrics().getOrDefault(m, Double.NaN)));
                }
                sb.append(row(cells));
            }
            List<String> avg = new ArrayList<>(List.of("**average**", ""));
            for (String m : t.metricNames()) {
                avg.add("**" + number(t.average().get(m)) + "**");
            }
            sb.append(row(avg)).append('\n');
        }
        return sb.toString();
    }

    /** Two runs side by side: every task, metric and language both have, with B − A. */
    public static String comparison(EvalResults a, EvalResults b, String nameA, String nameB) {
        StringBuilder sb = new StringBuilder();
        sb.append(row(List.of("task", "metric", "language", nameA, nameB, "B - A")));
        sb.append(separator(6, 3));
        for (Comparison.Row r : Comparison.rows(a, b)) {
            sb.append(row(List.of(r.task(), r.metric(), r.language(), number(r.a()), number(r.b()), number(r.b() - r.a()))));
        }
        return sb.toString();
    }
}
