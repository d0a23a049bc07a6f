package org.emma4j.model.data.bpe;

import java.util.Arrays;
import org.emma4j.model.data.IntList;

/**
 * Pair statistics of BPE training in primitive arrays (open addressing on the pair key, no boxing): per
 * adjacent pair (left, right) its weighted count and the words it may occur in (possibly stale entries,
 * which the trainer checks).
 */
final class PairTable {
    private static final long EMPTY = -1;

    private long[] keys;
    private long[] counts;
    private IntList[] words;
    private int size;
    private int mask;

    PairTable(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        allocate(capacity);
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        Arrays.fill(keys, EMPTY);
        counts = new long[capacity];
        words = new IntList[capacity];
        mask = capacity - 1;
        size = 0;
    }

    static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    /** The slot of {@code key}, created (count 0) if absent. */
    int slot(long key) {
        int i = (int) (org.emma4j.model.data.Seeds.mix(key)) & mask;
        while (keys[i] != EMPTY) {
            if (keys[i] == key) {
                return i;
            }
            i = (i + 1) & mask;
        }
        if (2 * (size + 1) > keys.length) {
            grow();
            return slot(key);
        }
        keys[i] = key;
        size++;
        return i;
    }

    /** The slot of {@code key}, or -1. */
    int find(long key) {
        int i = (int) (org.emma4j.model.data.Seeds.mix(key)) & mask;
        while (keys[i] != EMPTY) {
            if (keys[i] == key) {
                return i;
            }
            i = (i + 1) & mask;
        }
        return -1;
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldCounts = counts;
        IntList[] oldWords = words;
        allocate(oldKeys.length * 2);
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                int s = slot(oldKeys[i]);
                counts[s] = oldCounts[i];
                words[s] = oldWords[i];
            }
        }
    }

    boolean occupied(int slot) {
        return keys[slot] != EMPTY;
    }

    long count(int slot) {
        return counts[slot];
    }

    long keyAt(int slot) {
        return keys[slot];
    }

    void addCount(int slot, long delta) {
        counts[slot] += delta;
    }

    void setCount(int slot, long value) {
        counts[slot] = value;
    }

    /** Notes that word {@code w} may hold the pair (once per word in a row). */
    void addWord(int slot, int w) {
        IntList list = words[slot];
        if (list == null) {
            list = new IntList(2);
            words[slot] = list;
        }
        if (list.size() == 0 || list.get(list.size() - 1) != w) {
            list.add(w);
        }
    }

    /** The words noted for the pair, then forgets them (the pair has been merged). */
    IntList takeWords(int slot) {
        IntList list = words[slot];
        words[slot] = null;
        return list == null ? new IntList(1) : list;
    }

    int capacity() {
        return keys.length;
    }
}
