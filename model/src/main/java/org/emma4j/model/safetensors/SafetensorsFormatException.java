package org.emma4j.model.safetensors;

import java.io.IOException;

/**
 * A safetensors file (or a sharded set with its index) that is not valid: a header running past the end,
 * a truncated data section, offsets that overlap or leave gaps, a shape that does not match the byte length,
 * an unsupported dtype, a tensor listed in the index but missing from its shard. The message names the file
 * and the tensor.
 */
public final class SafetensorsFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public SafetensorsFormatException(String message) {
        super(message);
    }

    public SafetensorsFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
