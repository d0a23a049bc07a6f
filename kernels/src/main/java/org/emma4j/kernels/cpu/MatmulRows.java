package org.emma4j.kernels.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import org.emma4j.kernels.DType;

/**
 * Contiguous runs of a stored matrix row moved between tensor memory (F32, BF16 or F16) and float arrays:
 * the only place the matmul code converts dtypes. Loads widen BF16 exactly (the bits become the high half of
 * a float); stores round F32 to BF16 to nearest even, as {@link org.emma4j.kernels.Bf16#fromFloat} does.
 */
final class MatmulRows {
    private MatmulRows() {
    }

    static final VectorSpecies<Float> F = VectorRows.F;
    /** Shorts with as many lanes as {@link #F}: one BF16 vector widens to one float vector. */
    static final VectorSpecies<Short> H = VectorRows.S;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;

    /** {@code dst[dstOff + j] = X[row, col + j]} for j in [0, n), X the stored (untransposed) matrix of {@code src}. */
    static void load(GemmOperand src, long row, long col, int n, float[] dst, int dstOff) {
        MemorySegment seg = src.segment();
        long at = src.storedByteOffset(row, col);
        switch (src.dtype()) {
            case F32 -> loadF32(seg, at, n, dst, dstOff);
            case BF16 -> loadBf16(seg, at, n, dst, dstOff);
            case F16 -> {
                for (int j = 0; j < n; j++) {
                    dst[dstOff + j] = Float.float16ToFloat(seg.get(I16, at + 2L * j));
                }
            }
            default -> throw new IllegalArgumentException("matmul cannot read " + src.dtype() + " operands");
        }
    }

    private static void loadF32(MemorySegment seg, long at, int n, float[] dst, int dstOff) {
        int v = F.length();
        int j = 0;
        for (int upper = F.loopBound(n); j < upper; j += v) {
            FloatVector.fromMemorySegment(F, seg, at + 4L * j, LE).intoArray(dst, dstOff + j);
        }
        if (j < n) {
            VectorMask<Float> m = F.indexInRange(j, n);
            FloatVector.fromMemorySegment(F, seg, at + 4L * j, LE, m).intoArray(dst, dstOff + j, m);
        }
    }

    private static void loadBf16(MemorySegment seg, long at, int n, float[] dst, int dstOff) {
        int v = F.length();
        int j = 0;
        for (int upper = F.loopBound(n); j < upper; j += v) {
            VectorRows.widen(ShortVector.fromMemorySegment(H, seg, at + 2L * j, LE)).intoArray(dst, dstOff + j);
        }
        for (; j < n; j++) {
            dst[dstOff + j] = Float.intBitsToFloat(seg.get(I16, at + 2L * j) << 16);
        }
    }

    /**
     * {@code X[row, col + j] = src[srcOff + j] + beta · X[row, col + j]} for j in [0, n), rounding to X's dtype.
     * With {@code beta == 0} X is not read, so garbage (even NaN) in it does not leak into the result.
     */
    static void store(GemmOperand dst, long row, long col, int n, float[] src, int srcOff, float beta) {
        MemorySegment seg = dst.segment();
        long at = dst.storedByteOffset(row, col);
        switch (dst.dtype()) {
            case F32 -> storeF32(seg, at, n, src, srcOff, beta);
            case BF16 -> storeBf16(seg, at, n, src, srcOff, beta);
            default -> throw new IllegalArgumentException("matmul cannot write " + dst.dtype() + " outputs");
        }
    }

    private static void storeF32(MemorySegment seg, long at, int n, float[] src, int srcOff, float beta) {
        int v = F.length();
        int j = 0;
        // Whole vectors unmasked (masked loads and stores cost more), then the tail masked.
        if (beta == 0f) {
            for (int upper = F.loopBound(n); j < upper; j += v) {
                FloatVector.fromArray(F, src, srcOff + j).intoMemorySegment(seg, at + 4L * j, LE);
            }
        } else {
            FloatVector b = FloatVector.broadcast(F, beta);
            for (int upper = F.loopBound(n); j < upper; j += v) {
                FloatVector.fromMemorySegment(F, seg, at + 4L * j, LE).fma(b, FloatVector.fromArray(F, src, srcOff + j))
                        .intoMemorySegment(seg, at + 4L * j, LE);
            }
        }
        for (; j < n; j += v) {
            VectorMask<Float> m = F.indexInRange(j, n);
            FloatVector r = FloatVector.fromArray(F, src, srcOff + j, m);
            if (beta != 0f) {
                r = FloatVector.fromMemorySegment(F, seg, at + 4L * j, LE, m).fma(FloatVector.broadcast(F, beta), r);
            }
            r.intoMemorySegment(seg, at + 4L * j, LE, m);
        }
    }

    private static void storeBf16(MemorySegment seg, long at, int n, float[] src, int srcOff, float beta) {
        int v = F.length();
        for (int j = 0; j < n; j += v) {
            VectorMask<Float> m = F.indexInRange(j, n);
            VectorMask<Short> mh = H.indexInRange(j, n);
            FloatVector r = FloatVector.fromArray(F, src, srcOff + j, m);
            if (beta != 0f) {
                r = VectorRows.widen(ShortVector.fromMemorySegment(H, seg, at + 2L * j, LE, mh)).fma(FloatVector.broadcast(F, beta), r);
            }
            VectorRows.narrow(r).intoMemorySegment(seg, at + 2L * j, LE, mh);
        }
    }
}
