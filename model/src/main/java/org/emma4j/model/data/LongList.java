package org.emma4j.model.data;

import java.util.Arrays;

/** A growable list of longs in one primitive array (millions of entries without boxing). */
public final class LongList {
    private long[] values;
    private int size;

    public LongList() {
        this(16);
    }

    public LongList(int capacity) {
        values = new long[Math.max(1, capacity)];
    }

    public void add(long v) {
        if (size == values.length) {
            values = Arrays.copyOf(values, Math.max(16, values.length * 2));
        }
        values[size++] = v;
    }

    public long get(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("index " + i + " outside a list of " + size);
        }
        return values[i];
    }

    public void set(int i, long v) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("index " + i + " outside a list of " + size);
        }
        values[i] = v;
    }

    public int size() {
        return size;
    }

    /** The backing array (valid up to {@link #size()}), for bulk work such as shuffling in place. */
    public long[] array() {
        return values;
    }

    public long[] toArray() {
        return Arrays.copyOf(values, size);
    }
}
