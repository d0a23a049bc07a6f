package org.emma4j.model.tokenizer;

/** What the encoder does with text that spells a special token, such as {@code <|eot_id|>}. */
public enum SpecialTokenHandling {
    /** Special-token text becomes the special token's id (Hugging Face tokenizers' behaviour). */
    PARSE,
    /**
     * Special-token text is encoded as ordinary text, so documents cannot inject control tokens (the
     * default of Meta's reference tokenizer, {@code allowed_special=set()}, {@code disallowed_special=()}).
     */
    PLAIN
}
