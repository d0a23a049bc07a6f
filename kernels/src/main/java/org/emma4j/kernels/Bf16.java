package org.emma4j.kernels;

/** bfloat16: the upper 16 bits of an IEEE float32. */
public final class Bf16 {
    private Bf16() {
    }

    /** Exact widening: the bf16 bits become the high half of a float. */
    public static float toFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /** Rounds to nearest, ties to even; NaN stays a (quiet) NaN, infinities stay infinite. */
    public static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        if ((bits & 0x7FFFFFFF) > 0x7F800000) {
            return (short) ((bits >>> 16) | 0x0040);
        }
        int rounding = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }
}
