package org.emma4j.model.eval.metrics;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Exact match for MGSM-style numeric answers. The candidates are found with lm-evaluation-harness's
 * "flexible-extract" pattern for mgsm_direct, {@code (-?[$0-9.,]{2,})|(-?[0-9]+)}; the last one that reads as a
 * number after normalisation is the model's answer. Normalisation drops '$' and the commas used as thousands
 * separators ("1,234" → 1234) and a trailing period ("42." → 42). Answer and target are compared as decimal
 * numbers, so "12", "12.0" and "12.00" all match 12.
 */
public final class NumberAnswer {
    private NumberAnswer() {
    }

    private static final Pattern CANDIDATE = Pattern.compile("(-?[$0-9.,]{2,})|(-?[0-9]+)");

    /** The last number in {@code generation}, if any. */
    public static Optional<BigDecimal> extract(String generation) {
        Matcher m = CANDIDATE.matcher(generation);
        List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(m.group());
        }
        for (int i = found.size() - 1; i >= 0; i--) {
            Optional<BigDecimal> v = parse(found.get(i));
            if (v.isPresent()) {
                return v;
            }
        }
        return Optional.empty();
    }

    /** A number written with optional '$', thousands commas and a trailing period; empty if it is not one. */
    public static Optional<BigDecimal> parse(String s) {
        String t = s.replace("$", "").replace(",", "");
        while (t.endsWith(".")) {
            t = t.substring(0, t.length() - 1);
        }
        if (!t.matches("-?[0-9]+(\\.[0-9]+)?")) {
            return Optional.empty();
        }
        return Optional.of(new BigDecimal(t));
    }

    /** Whether the generation's last number equals the target number. */
    public static boolean matches(String generation, String target) {
        BigDecimal expected = parse(target.strip())
                .orElseThrow(() -> new IllegalArgumentException("target answer '" + target + "' is not a number"));
        return extract(generation).map(v -> v.compareTo(expected) == 0).orElse(false);
    }
}
