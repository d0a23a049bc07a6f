package org.emma4j.model.tokenizer;

import java.util.Arrays;

/**
 * The byte string of every token id, packed in one array: token {@code id} is
 * {@code data[offsets[id] .. offsets[id + 1])}. Ids without a token (none in Llama 3) are empty.
 */
final class TokenBytes {
    private final byte[] data;
    private final int[] offsets;

    private TokenBytes(byte[] data, int[] offsets) {
        this.data = data;
        this.offsets = offsets;
    }

    /** Packs {@code tokens[id]} for every id; null entries become empty tokens. */
    static TokenBytes of(byte[][] tokens) {
        int[] offsets = new int[tokens.length + 1];
        long total = 0;
        for (int id = 0; id < tokens.length; id++) {
            total += tokens[id] == null ? 0 : tokens[id].length;
            if (total > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("the vocabulary's tokens hold more than 2 GiB of bytes");
            }
            offsets[id + 1] = (int) total;
        }
        byte[] data = new byte[(int) total];
        for (int id = 0; id < tokens.length; id++) {
            if (tokens[id] != null) {
                System.arraycopy(tokens[id], 0, data, offsets[id], tokens[id].length);
            }
        }
        return new TokenBytes(data, offsets);
    }

    int count() {
        return offsets.length - 1;
    }

    int offset(int id) {
        return offsets[id];
    }

    int length(int id) {
        return offsets[id + 1] - offsets[id];
    }

    /** The packed bytes (read-only by convention: this array is shared, never handed outside the package). */
    byte[] data() {
        return data;
    }

    byte[] copyOf(int id) {
        return Arrays.copyOfRange(data, offsets[id], offsets[id + 1]);
    }

    /** Whether token {@code id} is {@code buf[off .. off+len)}; a plain loop, as tokens are short. */
    boolean equalsRange(int id, byte[] buf, int off, int len) {
        int start = offsets[id];
        if (offsets[id + 1] - start != len) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (data[start + i] != buf[off + i]) {
                return false;
            }
        }
        return true;
    }
}
