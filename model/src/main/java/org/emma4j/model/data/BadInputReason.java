package org.emma4j.model.data;

/** Why an input line was refused; the name is what the stats file counts it under. */
public enum BadInputReason {
    /** The line is not one JSON object. */
    MALFORMED_JSON("malformed_json"),
    /** A required field is absent or has the wrong type. */
    MISSING_FIELD("missing_field"),
    /** The bytes are not valid UTF-8. */
    INVALID_UTF8("invalid_utf8"),
    /** The language code is not in the FLORES-200 table (and the source does not allow unknown codes). */
    UNKNOWN_LANGUAGE("unknown_language"),
    /** The text is empty or only whitespace. */
    EMPTY_TEXT("empty_text"),
    /** A pre-tokenized line holds an id outside the tokenizer's vocabulary. */
    BAD_TOKEN_ID("bad_token_id");

    private final String key;

    BadInputReason(String key) {
        this.key = key;
    }

    /** The snake_case name used in stats files and messages. */
    public String key() {
        return key;
    }
}
