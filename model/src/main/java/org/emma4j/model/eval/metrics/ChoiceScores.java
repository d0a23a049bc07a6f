package org.emma4j.model.eval.metrics;

/**
 * acc and acc_norm of one multiple-choice question as lm-evaluation-harness scores it
 * (ConfigurableTask.process_results for output_type multiple_choice): the prediction is the first choice with
 * the highest log-likelihood; acc_norm's prediction divides each log-likelihood by the length in characters
 * (code points, Python's {@code len}) of the choice text as the task lists it, without the target delimiter
 * that precedes it in the scored continuation (so a choice scored as " Paris" counts 5 characters; a task
 * whose choices themselves start with a space counts that space).
 */
public final class ChoiceScores {
    private ChoiceScores() {
    }

    /** The result: whether the plain and the length-normalised predictions equal the gold index. */
    public record Outcome(int prediction, int normalizedPrediction, boolean correct, boolean normalizedCorrect) {
    }

    public static Outcome score(double[] logLikelihoods, String[] choices, int gold) {
        if (logLikelihoods.length != choices.length) {
            throw new IllegalArgumentException(logLikelihoods.length + " log-likelihoods for " + choices.length + " choices");
        }
        if (gold < 0 || gold >= choices.length) {
            throw new IllegalArgumentException("gold index " + gold + " is outside the " + choices.length + " choices");
        }
        double[] normalized = new double[choices.length];
        for (int i = 0; i < choices.length; i++) {
            int length = PythonStrings.length(choices[i]);
            if (length == 0) {
                throw new IllegalArgumentException("choice " + i + " is empty: acc_norm divides by its length");
            }
            normalized[i] = logLikelihoods[i] / length;
        }
        int pred = argmax(logLikelihoods);
        int predNorm = argmax(normalized);
        return new Outcome(pred, predNorm, pred == gold, predNorm == gold);
    }

    /** The first index of the maximum, as numpy's argmax. */
    public static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
