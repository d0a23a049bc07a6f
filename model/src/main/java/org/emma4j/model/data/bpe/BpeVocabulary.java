package org.emma4j.model.data.bpe;

import java.util.List;

/**
 * A trained byte-level BPE: token bytes by id (ids 0..255 are the single bytes 0x00..0xFF, then one token
 * per merge that made a new byte string), the merges in rank order, and the special tokens that follow.
 *
 * @param tokens the bytes of each ordinary token, by id
 * @param merges {left id, right id} per merge, in rank order
 * @param specialTokens special-token texts; their ids are {@code tokens.size()} onwards
 */
public record BpeVocabulary(List<byte[]> tokens, List<int[]> merges, List<String> specialTokens) {
    public BpeVocabulary {
        tokens = List.copyOf(tokens);
        merges = List.copyOf(merges);
        specialTokens = List.copyOf(specialTokens);
    }

    /** All ids, special tokens included. */
    public int size() {
        return tokens.size() + specialTokens.size();
    }
}
