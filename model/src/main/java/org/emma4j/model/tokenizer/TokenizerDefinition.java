package org.emma4j.model.tokenizer;

import java.util.Map;

/**
 * What a tokenizer file defines, in the form the encoder uses.
 *
 * @param tokens the bytes of every id, special tokens included (as their UTF-8 text)
 * @param special which ids are special tokens
 * @param specialIds special-token text to id
 * @param ordinaryTokens lookup of the non-special tokens by bytes
 * @param byteIds the token of each single byte
 * @param merges the pair merge rules
 * @param wholePieceFirst whether a piece that is itself a token skips merging
 * @param source where it was read from, for messages
 */
record TokenizerDefinition(TokenBytes tokens, boolean[] special, Map<String, Integer> specialIds,
                           ByteSequenceIndex ordinaryTokens, int[] byteIds, PairMerges merges,
                           boolean wholePieceFirst, String source) {

    /** The token of each of the 256 single bytes; a byte-level vocabulary must have them all. */
    static int[] byteIds(ByteSequenceIndex ordinaryTokens, String source) {
        int[] ids = new int[256];
        byte[] one = new byte[1];
        for (int b = 0; b < 256; b++) {
            one[0] = (byte) b;
            ids[b] = ordinaryTokens.find(one, 0, 1, ByteSequenceIndex.hash(one, 0, 1));
            if (ids[b] == ByteSequenceIndex.ABSENT) {
                throw new IllegalArgumentException(source + ": no token for the single byte 0x"
                        + String.format("%02X", b) + " (a byte-level BPE vocabulary needs all 256)");
            }
        }
        return ids;
    }
}
