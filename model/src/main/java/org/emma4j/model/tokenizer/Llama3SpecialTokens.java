package org.emma4j.model.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * The special tokens that Meta's tiktoken-format {@code tokenizer.model} does not contain: Meta's
 * reference code appends them after the base ranks (ids 128000 to 128255 for Llama 3).
 */
public final class Llama3SpecialTokens {
    /** Number of special tokens reserved after the base vocabulary. */
    public static final int COUNT = 256;

    private Llama3SpecialTokens() {
    }

    /**
     * Llama 3's list, in id order (meta-llama/llama3 {@code llama/tokenizer.py}): begin/end of text, four
     * reserved, the header delimiters, a reserved one, end of turn, then reserved 5 to 250.
     */
    public static List<String> llama3() {
        List<String> tokens = new ArrayList<>(List.of(
                "<|begin_of_text|>",
                "<|end_of_text|>",
                "<|reserved_special_token_0|>",
                "<|reserved_special_token_1|>",
                "<|reserved_special_token_2|>",
                "<|reserved_special_token_3|>",
                "<|start_header_id|>",
                "<|end_header_id|>",
                "<|reserved_special_token_4|>",
                "<|eot_id|>"));
        for (int i = 5; i < COUNT - 5; i++) {
            tokens.add("<|reserved_special_token_" + i + "|>");
        }
        return List.copyOf(tokens);
    }
}
