package org.emma4j.model.data;

/**
 * A refused input line, naming the file and line: {@code file:line: reason: detail}. The prepare step stops
 * on the first one in input order, or (with {@code --skip-bad}) skips it and counts it by {@link #reason()}.
 */
public final class BadInputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final long line;
    private final BadInputReason reason;
    private final String detail;

    public BadInputException(String file, long line, BadInputReason reason, String detail) {
        super(file + ":" + line + ": " + reason.key() + ": " + detail);
        this.file = file;
        this.line = line;
        this.reason = reason;
        this.detail = detail;
    }

    public String file() {
        return file;
    }

    public long line() {
        return line;
    }

    public BadInputReason reason() {
        return reason;
    }

    public String detail() {
        return detail;
    }
}
