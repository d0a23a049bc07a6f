package org.emma4j.model.train;

/** The run stopped before its last step for a reason it explains (too many NaN/Inf steps, say). */
public final class TrainingStoppedException extends RuntimeException {
    public TrainingStoppedException(String message) {
        super(message);
    }
}
