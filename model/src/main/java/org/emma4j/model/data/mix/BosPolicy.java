package org.emma4j.model.data.mix;

/** Where packing puts {@code <|begin_of_text|>}; documents always end with {@code <|end_of_text|>}. */
public enum BosPolicy {
    /** BOS as the first token of every packed sequence (a document cut at a boundary continues after it). */
    SEQUENCE_START("sequence_start"),
    /** BOS before every document. */
    DOCUMENT_START("document_start"),
    /** No BOS at all. */
    NONE("none");

    private final String key;

    BosPolicy(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }
}
