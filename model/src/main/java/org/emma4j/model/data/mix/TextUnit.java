package org.emma4j.model.data.mix;

/** What one document is in a plain-text file. */
public enum TextUnit {
    /** A run of non-blank lines; blank lines separate documents. */
    PARAGRAPH("paragraph"),
    /** Every non-blank line; blank lines are separators, not documents. */
    LINE("line"),
    /** The whole file (lines joined with LF). */
    FILE("file");

    private final String key;

    TextUnit(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }
}
