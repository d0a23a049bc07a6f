package org.emma4j.model.eval.tasks;

import java.util.LinkedHashMap;
import java.util.Map;

/** A task's metrics on one language, in a fixed order, and the number of examples scored. */
public record LanguageResult(String language, int examples, Map<String, Double> metrics) {
    public LanguageResult {
        metrics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }
}
