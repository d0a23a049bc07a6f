package org.emma4j.model.tokenizer;

import java.util.Arrays;

/** A growable list of token ids in a primitive array, reusable across encodes with {@link #clear()}. */
public final class TokenIdBuffer {
    private int[] ids;
    private int size;

    public TokenIdBuffer() {
        this(64);
    }

    public TokenIdBuffer(int initialCapacity) {
        ids = new int[Math.max(1, initialCapacity)];
    }

    public void add(int id) {
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, Math.max(8, ids.length * 2));
        }
        ids[size++] = id;
    }

    public void addAll(int[] source, int from, int to) {
        int count = to - from;
        if (size + count > ids.length) {
            ids = Arrays.copyOf(ids, Math.max(size + count, ids.length * 2));
        }
        System.arraycopy(source, from, ids, size, count);
        size += count;
    }

    public int get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " outside a buffer of " + size + " ids");
        }
        return ids[index];
    }

    public int size() {
        return size;
    }

    public void clear() {
        size = 0;
    }

    public int[] toArray() {
        return Arrays.copyOf(ids, size);
    }

    @Override
    public String toString() {
        return Arrays.toString(toArray());
    }
}
