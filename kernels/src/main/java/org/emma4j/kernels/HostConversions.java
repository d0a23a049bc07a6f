package org.emma4j.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Scalar conversions between host memory in a tensor dtype and Java floats (not a hot path). */
public final class HostConversions {
    private HostConversions() {
    }

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED;

    public static float[] toFloats(MemorySegment src, DType dtype, long count) {
        float[] out = new float[Math.toIntExact(count)];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (dtype) {
                case F32 -> src.getAtIndex(F32, i);
                case BF16 -> Bf16.toFloat(src.getAtIndex(I16, i));
                case F16 -> Float.float16ToFloat(src.getAtIndex(I16, i));
                case I32 -> src.getAtIndex(I32, i);
            };
        }
        return out;
    }

    public static void fromFloats(float[] values, MemorySegment dst, DType dtype) {
        for (int i = 0; i < values.length; i++) {
            switch (dtype) {
                case F32 -> dst.setAtIndex(F32, i, values[i]);
                case BF16 -> dst.setAtIndex(I16, i, Bf16.fromFloat(values[i]));
                case F16 -> dst.setAtIndex(I16, i, Float.floatToFloat16(values[i]));
                case I32 -> dst.setAtIndex(I32, i, (int) values[i]);
            }
        }
    }
}
