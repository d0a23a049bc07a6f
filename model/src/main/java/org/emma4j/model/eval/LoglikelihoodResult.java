package org.emma4j.model.eval;

/**
 * The sum of the continuation tokens' log-probabilities (natural log), whether every one of them was the
 * model's most likely token (greedy), and how many tokens the continuation had.
 */
public record LoglikelihoodResult(double logLikelihood, boolean greedy, int tokens) {
}
