package org.emma4j.kernels.cpu;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.emma4j.kernels.DType;

/**
 * Moves contiguous runs of F32 or BF16 tensor elements to and from float scratch arrays, a vector at a time
 * through {@link VectorRows} (exact BF16 widening, round-to-nearest-even narrowing) with a scalar tail.
 * Kernels that work on float tiles (attention, RoPE) convert once at the edges this way and keep their
 * inner loops dtype-free.
 */
final class FloatRowIo {
    private FloatRowIo() {
    }

    static final VectorSpecies<Float> F = VectorRows.F;
    private static final int L = VectorRows.LANES;

    /** {@code dst[dstOff + i] = mul · x[elem + i]} for i < n, x being F32 or BF16 elements of {@code seg}. */
    static void load(MemorySegment seg, DType dtype, long elem, int n, float[] dst, int dstOff, float mul) {
        int i = 0;
        for (; i <= n - L; i += L) {
            VectorRows.load(seg, dtype, elem + i).mul(mul).intoArray(dst, dstOff + i);
        }
        for (; i < n; i++) {
            dst[dstOff + i] = mul * VectorRows.get(seg, dtype, elem + i);
        }
    }

    /** {@code x[elem + i] = mul · src[srcOff + i]} for i < n, rounded to x's dtype. */
    static void store(MemorySegment seg, DType dtype, long elem, int n, float[] src, int srcOff, float mul) {
        int i = 0;
        for (; i <= n - L; i += L) {
            VectorRows.store(FloatVector.fromArray(F, src, srcOff + i).mul(mul), seg, dtype, elem + i);
        }
        for (; i < n; i++) {
            VectorRows.set(seg, dtype, elem + i, mul * src[srcOff + i]);
        }
    }

    /**
     * {@code x[elem + i] += mul · src[srcOff + i]} for i < n, formed in float (multiply, then add: not fused,
     * so the vector body and the scalar tail agree bit for bit) and rounded once to x's dtype.
     */
    static void addInto(MemorySegment seg, DType dtype, long elem, int n, float[] src, int srcOff, float mul) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector x = VectorRows.load(seg, dtype, elem + i);
            VectorRows.store(x.add(FloatVector.fromArray(F, src, srcOff + i).mul(mul)), seg, dtype, elem + i);
        }
        for (; i < n; i++) {
            VectorRows.set(seg, dtype, elem + i, VectorRows.get(seg, dtype, elem + i) + mul * src[srcOff + i]);
        }
    }
}
