package org.emma4j.model.train;

/**
 * One held-out evaluation.
 *
 * @param step    steps taken when it ran
 * @param loss    mean cross-entropy over the held-out labelled tokens
 * @param tokens  labelled tokens evaluated
 * @param seconds wall time it took
 */
public record EvalRecord(long step, double loss, long tokens, double seconds) {
    public double perplexity() {
        return Math.exp(loss);
    }
}
