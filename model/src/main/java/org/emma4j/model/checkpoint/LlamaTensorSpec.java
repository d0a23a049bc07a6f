package org.emma4j.model.checkpoint;

import java.util.Arrays;

/**
 * One weight a Llama model has: its Hugging Face name, the shape the config implies, the config fields
 * that shape is made of (for error messages, e.g. "[intermediate_size, hidden_size]"), and what kind of
 * weight it is (which decides its random initialisation).
 */
public record LlamaTensorSpec(String name, long[] shape, String shapeMeaning, Kind kind) {

    /** Embedding table, linear-layer matrix, or RMSNorm gain. */
    public enum Kind { EMBEDDING, LINEAR, NORM }

    public LlamaTensorSpec {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** True when {@code actual} is exactly this spec's shape. */
    public boolean matches(long[] actual) {
        return Arrays.equals(shape, actual);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LlamaTensorSpec s && name.equals(s.name) && Arrays.equals(shape, s.shape) && kind == s.kind;
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name + " " + Arrays.toString(shape);
    }
}
