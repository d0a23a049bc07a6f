package org.emma4j.model.eval;

/** The log-likelihood of a whole text (every token predicted once) and the number of tokens predicted. */
public record RollingResult(double logLikelihood, int tokens) {
}
