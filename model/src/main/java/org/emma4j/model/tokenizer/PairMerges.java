package org.emma4j.model.tokenizer;

/**
 * The merge rule of every mergeable pair of adjacent tokens: pair (left, right) merges into
 * {@code merged} with priority {@code rank} (lower merges first). Looked up with one probe of an
 * open-addressing table of primitive longs; the answer packs rank (high 32 bits) and merged id (low 32
 * bits), so that comparing answers compares ranks.
 */
final class PairMerges {
    /** The answer for a pair that does not merge; larger than every packed merge. */
    static final long NO_MERGE = Long.MAX_VALUE;
    private static final long EMPTY = -1L;

    private long[] keys;
    private long[] values;
    private int size;

    PairMerges(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[capacity];
        values = new long[capacity];
        java.util.Arrays.fill(keys, EMPTY);
    }

    static int rankOf(long merge) {
        return (int) (merge >>> 32);
    }

    static int mergedOf(long merge) {
        return (int) merge;
    }

    /**
     * Adds a rule; when the pair already has one, the lower rank is kept (a pair appearing twice in a
     * merges list merges at its first appearance).
     */
    void add(int left, int right, int rank, int merged) {
        if (rank < 0 || left < 0 || right < 0 || merged < 0) {
            throw new IllegalArgumentException("negative rank or id in merge (" + left + ", " + right + ") -> " + merged);
        }
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        long key = key(left, right);
        long value = ((long) rank << 32) | merged;
        int slot = slot(key);
        while (keys[slot] != EMPTY) {
            if (keys[slot] == key) {
                if (value < values[slot]) {
                    values[slot] = value;
                }
                return;
            }
            slot = (slot + 1) & (keys.length - 1);
        }
        keys[slot] = key;
        values[slot] = value;
        size++;
    }

    /** The packed merge of (left, right), or {@link #NO_MERGE}. */
    long get(int left, int right) {
        long key = key(left, right);
        int mask = keys.length - 1;
        int slot = slot(key);
        while (true) {
            long k = keys[slot];
            if (k == key) {
                return values[slot];
            }
            if (k == EMPTY) {
                return NO_MERGE;
            }
            slot = (slot + 1) & mask;
        }
    }

    int size() {
        return size;
    }

    private static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & (keys.length - 1);
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new long[oldValues.length * 2];
        java.util.Arrays.fill(keys, EMPTY);
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                int slot = slot(oldKeys[i]);
                while (keys[slot] != EMPTY) {
                    slot = (slot + 1) & (keys.length - 1);
                }
                keys[slot] = oldKeys[i];
                values[slot] = oldValues[i];
            }
        }
    }
}
