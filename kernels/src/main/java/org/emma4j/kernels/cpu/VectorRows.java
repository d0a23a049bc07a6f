package org.emma4j.kernels.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.emma4j.kernels.Bf16;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorChecks;

/**
 * Loads and stores of F32 or BF16 elements of a host segment as float lanes, so every kernel can read and
 * write either dtype with one loop. Indices are element indices (not bytes). BF16 widens exactly (the bits
 * become a float's high half) and narrows with round-to-nearest-even, NaN kept quiet, bit for bit as
 * {@link Bf16#fromFloat}. The masked variants touch only elements below {@code limit}; lanes past it load
 * as zero, so tails need no scalar loop.
 *
 * <p>Why the BF16 paths sit in their own tiny methods: C2 inlines a callee of more than 35 bytecodes only
 * from a call site its profile calls frequent, and a shared store that mostly saw F32 would mark the
 * {@link #narrow} call rare, leave it out of line and box every vector (measured: 2-4x slower BF16 writes
 * once any F32 writes came first). The dispatchers and BF16 wrappers are small enough to inline anywhere,
 * and inside a wrapper its conversion is always the frequent call.
 */
final class VectorRows {
    private VectorRows() {
    }

    /** The float species every CPU kernel uses, chosen by the JVM for this machine (16 lanes on AVX-512). */
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Lanes per float vector. */
    static final int LANES = F.length();
    /** Shorts with as many lanes as {@link #F}: half its bit size. */
    static final VectorSpecies<Short> S = VectorSpecies.of(short.class, VectorShape.forBitSize(F.vectorBitSize() / 2));
    /** Ints with as many lanes as {@link #F}. */
    static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    /** Doubles of {@link #F}'s bit size: a float vector widens into two of them (parts 0 and 1). */
    static final VectorSpecies<Double> D = VectorSpecies.of(double.class, F.vectorShape());

    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;

    /** Fails unless {@code t} is a host tensor these loads can read: F32 or BF16. */
    static void requireHostFloat(String op, String role, Tensor t) {
        TensorChecks.requireHost(op, role, t);
        TensorChecks.requireDType(op, role, t, DType.F32, DType.BF16);
    }

    // ------------------------------------------------------------------------------------------ vectors

    /** Elements [index, index + LANES) as floats. */
    static FloatVector load(MemorySegment seg, DType dtype, long index) {
        return dtype == DType.BF16 ? loadBf16(seg, index) : FloatVector.fromMemorySegment(F, seg, index * 4, ORDER);
    }

    /** Elements [index, min(index + LANES, limit)) as floats; the lanes past {@code limit} are zero. */
    static FloatVector load(MemorySegment seg, DType dtype, long index, long limit) {
        return dtype == DType.BF16 ? loadBf16(seg, index, limit)
                : FloatVector.fromMemorySegment(F, seg, index * 4, ORDER, F.indexInRange(index, limit));
    }

    private static FloatVector loadBf16(MemorySegment seg, long index) {
        return widen(ShortVector.fromMemorySegment(S, seg, index * 2, ORDER));
    }

    private static FloatVector loadBf16(MemorySegment seg, long index, long limit) {
        return widen(ShortVector.fromMemorySegment(S, seg, index * 2, ORDER, S.indexInRange(index, limit)));
    }

    /** Stores all lanes at [index, index + LANES), rounding to BF16 when the dtype says so. */
    static void store(FloatVector v, MemorySegment seg, DType dtype, long index) {
        if (dtype == DType.BF16) {
            storeBf16(v, seg, index);
        } else {
            v.intoMemorySegment(seg, index * 4, ORDER);
        }
    }

    /** Stores the lanes that fall below {@code limit}. */
    static void store(FloatVector v, MemorySegment seg, DType dtype, long index, long limit) {
        if (dtype == DType.BF16) {
            storeBf16(v, seg, index, limit);
        } else {
            v.intoMemorySegment(seg, index * 4, ORDER, F.indexInRange(index, limit));
        }
    }

    private static void storeBf16(FloatVector v, MemorySegment seg, long index) {
        narrow(v).intoMemorySegment(seg, index * 2, ORDER);
    }

    private static void storeBf16(FloatVector v, MemorySegment seg, long index, long limit) {
        narrow(v).intoMemorySegment(seg, index * 2, ORDER, S.indexInRange(index, limit));
    }

    /** The mask of lanes [index, limit) for a masked tail. */
    static VectorMask<Float> tailMask(long index, long limit) {
        return F.indexInRange(index, limit);
    }

    /** BF16 bits to floats: sign-extend to int, shift into the high half (the extension bits fall off). */
    static FloatVector widen(ShortVector bits) {
        IntVector wide = (IntVector) bits.convertShape(VectorOperators.S2I, I, 0);
        return wide.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    /** Floats to BF16 bits, round to nearest even; NaN becomes a quiet NaN (the same bits as Bf16.fromFloat). */
    static ShortVector narrow(FloatVector v) {
        IntVector bits = v.reinterpretAsInts();
        IntVector lsb = bits.lanewise(VectorOperators.LSHR, 16).and(1);
        IntVector rounded = bits.add(lsb.add(0x7FFF)).lanewise(VectorOperators.LSHR, 16);
        VectorMask<Integer> nan = bits.and(0x7FFFFFFF).compare(VectorOperators.GT, 0x7F800000);
        IntVector quietNan = bits.lanewise(VectorOperators.LSHR, 16).or(0x0040);
        return (ShortVector) rounded.blend(quietNan, nan).convertShape(VectorOperators.I2S, S, 0);
    }

    // ------------------------------------------------------------------------------------------- scalars

    /** One element as a float. */
    static float get(MemorySegment seg, DType dtype, long index) {
        if (dtype == DType.BF16) {
            return Bf16.toFloat(seg.getAtIndex(I16, index));
        }
        return seg.getAtIndex(F32, index);
    }

    /** Writes one element, rounding to BF16 when the dtype says so. */
    static void set(MemorySegment seg, DType dtype, long index, float value) {
        if (dtype == DType.BF16) {
            seg.setAtIndex(I16, index, Bf16.fromFloat(value));
        } else {
            seg.setAtIndex(F32, index, value);
        }
    }
}
