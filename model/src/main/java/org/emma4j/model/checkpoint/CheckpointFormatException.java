package org.emma4j.model.checkpoint;

import java.io.IOException;

/**
 * A model directory whose tensors do not fit its config: a missing or unexpected tensor, a wrong shape or
 * dtype. The message names the file, the tensor, and what was expected and found.
 */
public final class CheckpointFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public CheckpointFormatException(String message) {
        super(message);
    }
}
