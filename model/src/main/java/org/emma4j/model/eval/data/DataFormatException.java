package org.emma4j.model.eval.data;

import java.io.IOException;

/** A benchmark file that is there but does not read as its format says; the message names the file and line. */
public final class DataFormatException extends IOException {
    public DataFormatException(String location, String message) {
        super(location + ": " + message);
    }
}
