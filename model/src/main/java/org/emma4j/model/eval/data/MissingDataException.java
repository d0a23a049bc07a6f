package org.emma4j.model.eval.data;

import java.io.IOException;
import java.nio.file.Path;

/** A benchmark file that is not where the task's layout puts it; the message names the expected path. */
public final class MissingDataException extends IOException {
    public MissingDataException(String what, Path expected) {
        super("missing " + what + ": expected the file " + expected.toAbsolutePath());
    }
}
