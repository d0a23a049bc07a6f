package org.emma4j.model.train;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where a {@link TrainingData} source stands: the epoch, and how many sequences of that epoch's order have
 * been handed out. Saved in checkpoints; seeking to it continues with exactly the next sequence.
 */
public record DataPosition(@JsonProperty("epoch") long epoch, @JsonProperty("sequence") long sequence) {
    public DataPosition {
        if (epoch < 0 || sequence < 0) {
            throw new IllegalArgumentException("a data position has a non-negative epoch and sequence, found epoch " + epoch
                    + ", sequence " + sequence);
        }
    }

    public static final DataPosition START = new DataPosition(0, 0);
}
