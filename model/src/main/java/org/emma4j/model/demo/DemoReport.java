package org.emma4j.model.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.emma4j.model.eval.report.EvalResults;
import org.emma4j.model.eval.report.TaskResults;
import org.emma4j.model.eval.tasks.LanguageResult;

/** The demo's headline numbers: a compact Markdown table of the two runs, and the results cut to the charted metrics. */
final class DemoReport {
    static final String PPL = "token_perplexity";
    static final String INTO = "eng-x_chrf++";
    static final String OUT_OF = "x-eng_chrf++";

    private DemoReport() {
    }

    /** One row per language (and the average): perplexity and chrF++ both ways, monolingual vs bilingual continuation. */
    static String table(EvalResults mono, EvalResults bilingual) {
        StringBuilder sb = new StringBuilder();
        sb.append("| language | perplexity mono | perplexity bi | eng→X chrF++ mono | eng→X chrF++ bi | X→eng chrF++ mono | X→eng chrF++ bi |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|\n");
        Map<String, LanguageResult> pplMono = byLanguage(mono.task("perplexity"));
        Map<String, LanguageResult> pplBi = byLanguage(bilingual.task("perplexity"));
        Map<String, LanguageResult> mtMono = byLanguage(mono.task("flores200"));
        Map<String, LanguageResult> mtBi = byLanguage(bilingual.task("flores200"));
        for (String lang : pplMono.keySet()) {
            sb.append(row(lang, metric(pplMono.get(lang), PPL), metric(pplBi.get(lang), PPL), metric(mtMono.get(lang), INTO),
                    metric(mtBi.get(lang), INTO), metric(mtMono.get(lang), OUT_OF), metric(mtBi.get(lang), OUT_OF)));
        }
        Map<String, Double> am = mono.task("perplexity").average();
        Map<String, Double> ab = bilingual.task("perplexity").average();
        Map<String, Double> tm = mono.task("flores200").average();
        Map<String, Double> tb = bilingual.task("flores200").average();
        sb.append(row("**average**", am.get(PPL), ab.get(PPL), tm.get(INTO), tb.get(INTO), tm.get(OUT_OF), tb.get(OUT_OF)));
        return sb.toString();
    }

    private static Map<String, LanguageResult> byLanguage(TaskResults t) {
        Map<String, LanguageResult> m = new LinkedHashMap<>();
        t.languages().forEach(r -> m.put(r.language(), r));
        return m;
    }

    private static Double metric(LanguageResult r, String name) {
        return r == null ? null : r.metrics().get(name);
    }

    private static String row(String label, Double... values) {
        StringBuilder sb = new StringBuilder("| " + label + " |");
        for (Double v : values) {
            sb.append(' ').append(v == null ? "–" : String.format(Locale.ROOT, "%.2f", v)).append(" |");
        }
        return sb.append('\n').toString();
    }

    /** The results with only the charted metrics (token perplexity, chrF++ both ways), so the chart has three panels. */
    static EvalResults charted(EvalResults r) {
        Set<String> keep = Set.of(PPL, INTO, OUT_OF);
        List<TaskResults> tasks = new ArrayList<>();
        for (TaskResults t : r.tasks()) {
            List<LanguageResult> langs = new ArrayList<>();
            for (LanguageResult l : t.languages()) {
                Map<String, Double> m = new LinkedHashMap<>();
                l.metrics().forEach((k, v) -> {
                    if (keep.contains(k)) {
                        m.put(k, v);
                    }
                });
                langs.add(new LanguageResult(l.language(), l.examples(), m));
            }
            tasks.add(TaskResults.of(t.task(), langs));
        }
        return new EvalResults(r.model(), r.created(), r.settings(), tasks);
    }
}
