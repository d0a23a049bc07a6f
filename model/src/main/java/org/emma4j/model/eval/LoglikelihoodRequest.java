package org.emma4j.model.eval;

/** Score {@code continuation} after {@code context} (lm-evaluation-harness' {@code loglikelihood} request). */
public record LoglikelihoodRequest(String context, String continuation) {
    public LoglikelihoodRequest {
        if (context == null || continuation == null) {
            throw new IllegalArgumentException("context and continuation must not be null");
        }
    }
}
