package org.emma4j.model.config;

import java.io.IOException;

/**
 * A {@code config.json} that emma4j cannot use: malformed JSON, a missing or mistyped field, or a value
 * outside what a Llama 3 model allows. The message names the file, the field and what was found.
 */
public final class ConfigFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public ConfigFormatException(String message) {
        super(message);
    }

    public ConfigFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
