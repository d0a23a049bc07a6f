package org.emma4j.model.train;

/**
 * B sequences of T positions, row-major: {@code inputs[b·T + t]} is the token at position t of sequence b and
 * {@code labels[b·T + t]} the token it should predict, or {@link LlamaTraining#IGNORE_INDEX}.
 */
public record MicroBatch(int[] inputs, int[] labels) {
    public MicroBatch {
        if (inputs.length != labels.length) {
            throw new IllegalArgumentException("a micro-batch needs as many labels as inputs, found " + inputs.length + " inputs and "
                    + labels.length + " labels");
        }
    }

    /** Positions that count in the loss. */
    public long labelledTokens() {
        long n = 0;
        for (int l : labels) {
            if (l != LlamaTraining.IGNORE_INDEX) {
                n++;
            }
        }
        return n;
    }
}
