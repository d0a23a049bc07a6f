package org.emma4j.model.eval.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.emma4j.model.eval.tasks.LanguageResult;

/**
 * A task's results per language and their average: the plain mean over languages of each metric (macro
 * average; for perplexities too, so every language weighs the same).
 */
public record TaskResults(String task, List<LanguageResult> languages, Map<String, Double> average) {
    public TaskResults {
        languages = List.copyOf(languages);
        average = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(average));
    }

    public static TaskResults of(String task, List<LanguageResult> languages) {
        Map<String, Double> sums = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (LanguageResult r : languages) {
            r.metrics().forEach((k, v) -> {
                sums.merge(k, v, Double::sum);
                counts.merge(k, 1, Integer::sum);
            });
        }
        Map<String, Double> avg = new LinkedHashMap<>();
        sums.forEach((k, v) -> avg.put(k, v / counts.get(k)));
        return new TaskResults(task, languages, avg);
    }

    /** The metric names in the order the tasks report them. */
    public List<String> metricNames() {
        return List.copyOf(average.keySet());
    }
}
