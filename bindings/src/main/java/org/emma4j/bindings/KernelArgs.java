package org.emma4j.bindings;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Kernel parameters laid out as {@code cuLaunchKernel} wants them: an array of pointers ({@code void**}),
 * entry i pointing at the value of parameter i. The values live in one buffer, each at its natural
 * alignment (8 bytes for pointers and 64-bit values, 4 for ints and floats). One instance is reused for
 * every launch of a stream: {@link #clear()}, add the parameters in the kernel's order, launch.
 * Not thread-safe.
 */
public final class KernelArgs {
    /** The most parameters one launch may have. */
    public static final int MAX_ARGS = 32;
    private static final long VALUE_BYTES = MAX_ARGS * 8L;

    private final MemorySegment pointers;
    private final MemorySegment values;
    private int count;
    private long offset;

    /** Buffers allocated in {@code arena}; they must outlive every launch that uses them. */
    public KernelArgs(Arena arena) {
        this.pointers = arena.allocate(ValueLayout.ADDRESS, MAX_ARGS);
        this.values = arena.allocate(VALUE_BYTES, 16);
    }

    /** Forgets the parameters, ready for the next launch. */
    public KernelArgs clear() {
        count = 0;
        offset = 0;
        return this;
    }

    /** A device pointer ({@code T*} in the kernel). */
    public KernelArgs pointer(long deviceAddress) {
        values.set(ValueLayout.JAVA_LONG, slot(8), deviceAddress);
        return this;
    }

    /** A 64-bit integer ({@code long long}). */
    public KernelArgs i64(long value) {
        values.set(ValueLayout.JAVA_LONG, slot(8), value);
        return this;
    }

    /** A 32-bit integer ({@code int}). */
    public KernelArgs i32(int value) {
        values.set(ValueLayout.JAVA_INT, slot(4), value);
        return this;
    }

    /** A 32-bit float. */
    public KernelArgs f32(float value) {
        values.set(ValueLayout.JAVA_FLOAT, slot(4), value);
        return this;
    }

    /** A 64-bit float. */
    public KernelArgs f64(double value) {
        values.set(ValueLayout.JAVA_DOUBLE, slot(8), value);
        return this;
    }

    /** How many parameters are set. */
    public int count() {
        return count;
    }

    /** The {@code void**} array to pass as cuLaunchKernel's kernelParams. */
    public MemorySegment pointerArray() {
        return pointers;
    }

    /** The byte offset of parameter {@code i}'s value inside the value buffer (for tests and debugging). */
    public long valueOffset(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("parameter " + i + " of " + count);
        }
        return pointers.getAtIndex(ValueLayout.ADDRESS, i).address() - values.address();
    }

    /** The value buffer (for tests and debugging). */
    public MemorySegment valueBuffer() {
        return values;
    }

    /** Reserves an aligned slot of {@code size} bytes for the next parameter and points the next entry at it. */
    private long slot(int size) {
        if (count == MAX_ARGS) {
            throw new IllegalStateException("a kernel launch takes at most " + MAX_ARGS + " parameters");
        }
        long at = (offset + size - 1) & -(long) size;
        pointers.setAtIndex(ValueLayout.ADDRESS, count, values.asSlice(at, size));
        offset = at + size;
        count++;
        return at;
    }
}
