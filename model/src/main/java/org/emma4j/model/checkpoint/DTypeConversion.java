package org.emma4j.model.checkpoint;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.emma4j.kernels.Bf16;
import org.emma4j.kernels.DType;

/**
 * Host-side conversion between the floating-point weight dtypes, element by element, as the kernels define
 * them: widening (BF16 or F16 to F32) is exact, narrowing rounds to nearest even (NaN stays NaN). Used when
 * loading a checkpoint into another dtype and when saving weights in another dtype than they are held in;
 * unaligned access, because a foreign safetensors file need not align its tensors.
 */
public final class DTypeConversion {
    private DTypeConversion() {
    }

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;

    /** Converts {@code count} elements of {@code from} in {@code src} into {@code to} in {@code dst}. */
    public static void convert(MemorySegment src, DType from, MemorySegment dst, DType to, long count) {
        if (!from.isFloatingPoint() || !to.isFloatingPoint()) {
            throw new IllegalArgumentException("cannot convert " + from + " to " + to + ": only F32, BF16 and F16 weights convert");
        }
        if (from == to) {
            MemorySegment.copy(src, 0, dst, 0, count * from.byteSize());
            return;
        }
        for (long i = 0; i < count; i++) {
            float v = switch (from) {
                case F32 -> src.getAtIndex(F32, i);
                case BF16 -> Bf16.toFloat(src.getAtIndex(I16, i));
                case F16 -> Float.float16ToFloat(src.getAtIndex(I16, i));
                case I32 -> throw new AssertionError();
            };
            switch (to) {
                case F32 -> dst.setAtIndex(F32, i, v);
                case BF16 -> dst.setAtIndex(I16, i, Bf16.fromFloat(v));
                case F16 -> dst.setAtIndex(I16, i, Float.floatToFloat16(v));
                case I32 -> throw new AssertionError();
            }
        }
    }
}
