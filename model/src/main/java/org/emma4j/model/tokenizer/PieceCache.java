package org.emma4j.model.tokenizer;

import java.util.Arrays;

/**
 * Remembers the BPE result of recently seen pieces, so that repeated words are merged once. A fixed
 * direct-mapped table shared by all threads without locks: each slot holds an immutable entry (final
 * fields, so a racing reader sees it whole or not at all) and a newer piece simply replaces the one in
 * its slot.
 */
final class PieceCache {
    /** Longer pieces are rare and costly to compare; they are merged every time. */
    static final int MAX_PIECE_BYTES = 64;

    private record Entry(byte[] piece, int hash, int[] ids) {
    }

    private final Entry[] slots;
    private final int mask;

    PieceCache(int slotCountPowerOfTwo) {
        if (Integer.bitCount(slotCountPowerOfTwo) != 1) {
            throw new IllegalArgumentException("cache slot count must be a power of two, got " + slotCountPowerOfTwo);
        }
        slots = new Entry[slotCountPowerOfTwo];
        mask = slotCountPowerOfTwo - 1;
    }

    /** The cached ids of {@code buf[0 .. len)}, or null. */
    int[] get(byte[] buf, int len, int hash) {
        Entry e = slots[hash & mask];
        if (e == null || e.hash != hash || e.piece.length != len) {
            return null;
        }
        byte[] piece = e.piece;
        for (int i = 0; i < len; i++) {
            if (piece[i] != buf[i]) {
                return null;
            }
        }
        return e.ids;
    }

    void put(byte[] buf, int len, int hash, int[] ids) {
        slots[hash & mask] = new Entry(Arrays.copyOf(buf, len), hash, ids);
    }
}
