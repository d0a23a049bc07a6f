package org.emma4j.model.tokenizer;

/**
 * Finds the token id of a byte string without allocating: open addressing over the ids, keyed by a hash
 * of the token's bytes, with the full hash kept per slot so that most mismatches cost no byte compare.
 */
final class ByteSequenceIndex {
    static final int ABSENT = -1;

    private static final long EMPTY = -1L;

    private final TokenBytes tokens;
    /** Per slot: the full hash (high 32 bits) and the id (low 32 bits), together so one probe is one load. */
    private final long[] slots;
    private final int mask;

    /** Indexes the ids for which {@code include[id]} is true; two ids with the same bytes are an error. */
    ByteSequenceIndex(TokenBytes tokens, boolean[] include) {
        this.tokens = tokens;
        int capacity = Integer.highestOneBit(Math.max(16, tokens.count() * 2 - 1)) << 1;
        this.slots = new long[capacity];
        this.mask = capacity - 1;
        java.util.Arrays.fill(slots, EMPTY);
        byte[] data = tokens.data();
        for (int id = 0; id < tokens.count(); id++) {
            if (!include[id]) {
                continue;
            }
            int off = tokens.offset(id);
            int len = tokens.length(id);
            int h = hash(data, off, len);
            int existing = find(data, off, len, h);
            if (existing != ABSENT) {
                throw new IllegalArgumentException("tokens " + existing + " and " + id + " have the same bytes");
            }
            int slot = h & mask;
            while (slots[slot] != EMPTY) {
                slot = (slot + 1) & mask;
            }
            slots[slot] = ((long) h << 32) | id;
        }
    }

    /** The id whose bytes are {@code buf[off .. off+len)}, or {@link #ABSENT}; {@code h} from {@link #hash}. */
    int find(byte[] buf, int off, int len, int h) {
        int slot = h & mask;
        while (true) {
            long entry = slots[slot];
            if (entry == EMPTY) {
                return ABSENT;
            }
            if ((int) (entry >>> 32) == h && tokens.equalsRange((int) entry, buf, off, len)) {
                return (int) entry;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** FNV-1a over the bytes, finished with MurmurHash3's avalanche so that the low bits are usable. */
    static int hash(byte[] buf, int off, int len) {
        int h = 0x811C9DC5;
        for (int i = off, end = off + len; i < end; i++) {
            h = (h ^ (buf[i] & 0xFF)) * 0x01000193;
        }
        h ^= len;
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        h ^= h >>> 16;
        return h;
    }
}
