package org.emma4j.model.eval.tasks;

import java.util.List;

/**
 * A multiple-choice question as lm-evaluation-harness scores it: each continuation is {@code delimiter +
 * choice} after {@code context}; acc_norm divides by the length of {@code choice} alone.
 */
public record McQuestion(String context, List<String> choices, int gold, String delimiter) {
    public McQuestion {
        choices = List.copyOf(choices);
        if (gold < 0 || gold >= choices.size()) {
            throw new IllegalArgumentException("gold index " + gold + " outside the " + choices.size() + " choices");
        }
    }

    /** The question answered, as a few-shot example. */
    public String solved() {
        return context + delimiter + choices.get(gold);
    }
}
