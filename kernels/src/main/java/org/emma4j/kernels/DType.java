package org.emma4j.kernels;

/** Element types a tensor can hold. F16 is read-only input (checkpoints); compute uses F32 or BF16. */
public enum DType {
    F32(4, "F32"),
    BF16(2, "BF16"),
    F16(2, "F16"),
    I32(4, "I32");

    private final int byteSize;
    private final String safetensorsName;

    DType(int byteSize, String safetensorsName) {
        this.byteSize = byteSize;
        this.safetensorsName = safetensorsName;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** The dtype's name in safetensors headers ("F32", "BF16", "F16", "I32"). */
    public String safetensorsName() {
        return safetensorsName;
    }

    public boolean isFloatingPoint() {
        return this != I32;
    }

    /** Parses a safetensors dtype name; the message lists what is supported. */
    public static DType fromSafetensorsName(String name) {
        for (DType t : values()) {
            if (t.safetensorsName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unsupported dtype '" + name + "': expected one of F32, BF16, F16, I32");
    }
}
