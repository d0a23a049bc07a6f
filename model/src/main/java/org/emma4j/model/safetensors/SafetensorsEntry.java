package org.emma4j.model.safetensors;

import java.util.Arrays;
import org.emma4j.kernels.DType;

/**
 * One tensor in a safetensors header: its name, dtype, shape and byte range {@code [begin, end)} relative to
 * the start of the data section (which follows the 8-byte header length and the header JSON).
 */
public record SafetensorsEntry(String name, DType dtype, long[] shape, long begin, long end) {

    public SafetensorsEntry {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public long byteSize() {
        return end - begin;
    }

    /** Number of elements (1 for a scalar of shape []). */
    public long elementCount() {
        return elementCount(shape);
    }

    static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SafetensorsEntry e && name.equals(e.name) && dtype == e.dtype && Arrays.equals(shape, e.shape)
                && begin == e.begin && end == e.end;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + dtype + " " + Arrays.toString(shape) + " [" + begin + ", " + end + ")";
    }
}
