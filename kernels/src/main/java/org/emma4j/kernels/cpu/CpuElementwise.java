package org.emma4j.kernels.cpu;

import static org.emma4j.kernels.cpu.VectorRows.F;
import static org.emma4j.kernels.cpu.VectorRows.LANES;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.emma4j.kernels.Bf16;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorChecks;

/**
 * Whole-tensor elementwise ops: fill, copy with dtype conversion, the global L2 norm, scale and add.
 * All are split into contiguous ranges over the pool.
 */
final class CpuElementwise {
    private CpuElementwise() {
    }

    /** Below this many elements a task is not worth handing to another thread. */
    private static final long MIN_TASK_ELEMENTS = 1 << 15;
    /** Elements per partial sum of the L2 norm; fixed so the sum's order, hence its value, ignores the thread count. */
    private static final long NORM_CHUNK = 1 << 16;
    private static final VectorSpecies<Double> D = VectorRows.D;
    private static final VectorSpecies<Integer> I = VectorRows.I;
    private static final VectorSpecies<Short> S = VectorSpecies.of(short.class, F.vectorShape());
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    // --------------------------------------------------------------------------------------------- fill

    /** Sets every element to {@code value} rounded to the dtype (an I32 tensor needs an integral value). */
    static void fill(CpuPool pool, Tensor t, float value) {
        TensorChecks.requireHost("fill", "t", t);
        MemorySegment seg = t.segment();
        switch (t.dtype()) {
            case F32 -> fill32(pool, seg, t.size(), Float.floatToRawIntBits(value));
            case I32 -> {
                if (value != Math.rint(value) || Math.abs(value) > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("fill: tensor " + t.name() + " is I32 but the value " + value
                            + " is not an int");
                }
                fill32(pool, seg, t.size(), (int) value);
            }
            case BF16 -> fill16(pool, seg, t.size(), Bf16.fromFloat(value));
            case F16 -> fill16(pool, seg, t.size(), Float.floatToFloat16(value));
        }
    }

    private static void fill32(CpuPool pool, MemorySegment seg, long n, int bits) {
        IntVector pattern = IntVector.broadcast(I, bits);
        pool.parallelRanges(n, MIN_TASK_ELEMENTS, (start, end) -> {
            long i = start;
            for (; i + I.length() <= end; i += I.length()) {
                pattern.intoMemorySegment(seg, i * 4, ORDER);
            }
            if (i < end) {
                pattern.intoMemorySegment(seg, i * 4, ORDER, I.indexInRange(i, end));
            }
        });
    }

    private static void fill16(CpuPool pool, MemorySegment seg, long n, short bits) {
        ShortVector pattern = ShortVector.broadcast(S, bits);
        pool.parallelRanges(n, MIN_TASK_ELEMENTS, (start, end) -> {
            long i = start;
            for (; i + S.length() <= end; i += S.length()) {
                pattern.intoMemorySegment(seg, i * 2, ORDER);
            }
            if (i < end) {
                pattern.intoMemorySegment(seg, i * 2, ORDER, S.indexInRange(i, end));
            }
        });
    }

    // --------------------------------------------------------------------------------------------- copy

    /**
     * dst = src converted to dst's dtype: a byte copy for equal dtypes, vector F32↔BF16 (round to nearest
     * even), scalar conversions through float for F16. Integers copy only to integers. Overlapping tensors
     * are rejected unless they are the very same bytes (then nothing is to do).
     */
    static void copy(CpuPool pool, Tensor dst, Tensor src) {
        String op = "copy";
        TensorChecks.requireHost(op, "dst", dst);
        TensorChecks.requireHost(op, "src", src);
        TensorChecks.requireSameSize(op, "dst", dst, "src", src);
        DType dt = dst.dtype();
        DType st = src.dtype();
        if ((dt == DType.I32) != (st == DType.I32)) {
            throw new IllegalArgumentException(op + ": cannot convert src (" + src.name() + ", " + st + ") to dst (" + dst.name()
                    + ", " + dt + "); copy converts between floating-point dtypes only, and copies I32 to I32");
        }
        MemorySegment ds = dst.segment();
        MemorySegment ss = src.segment();
        if (ds.asOverlappingSlice(ss).isPresent()) {
            if (dt == st && ds.address() == ss.address()) {
                return;
            }
            throw new IllegalArgumentException(op + ": dst (" + dst.name() + ") and src (" + src.name() + ") overlap in memory");
        }
        long n = src.size();
        if (dt == st) {
            long width = dt.byteSize();
            pool.parallelRanges(n, MIN_TASK_ELEMENTS, (start, end) ->
                    MemorySegment.copy(ss, start * width, ds, start * width, (end - start) * width));
        } else if (dt != DType.F16 && st != DType.F16) {
            pool.parallelRanges(n, MIN_TASK_ELEMENTS, (start, end) -> {
                long i = start;
                for (; i + LANES <= end; i += LANES) {
                    VectorRows.store(VectorRows.load(ss, st, i), ds, dt, i);
                }
                if (i < end) {
                    VectorRows.store(VectorRows.load(ss, st, i, end), ds, dt, i, end);
                }
            });
        } else {
            pool.parallelRanges(n, MIN_TASK_ELEMENTS, (start, end) -> {
                for (long i = start; i < end; i++) {
                    setFloat(ds, dt, i, getFloat(ss, st, i));
                }
            });
        }
    }

    private static float getFloat(MemorySegment seg, DType dtype, long i) {
        return dtype == DType.F16
                ? Float.float16ToFloat(seg.getAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i))
                : VectorRows.get(seg, dtype, i);
    }

    private static void setFloat(MemorySegment seg, DType dtype, long i, float value) {
        if (dtype == DType.F16) {
            seg.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i, Float.floatToFloat16(value));
        } else {
            VectorRows.set(seg, dtype, i, value);
        }
    }

    // ---------------------------------------------------------------------------------------------- norm

    /**
     * sqrt(Σ x²) over every tensor. Squares are formed and summed in double lanes; the tensors are cut into
     * fixed chunks of {@link #NORM_CHUNK} summed in parallel, then the chunk sums are added in order.
     */
    static double globalL2Norm(CpuPool pool, List<Tensor> tensors) {
        String op = "globalL2Norm";
        long[] firstChunk = new long[tensors.size() + 1];
        for (int t = 0; t < tensors.size(); t++) {
            Tensor x = tensors.get(t);
            VectorRows.requireHostFloat(op, "tensors[" + t + "]", x);
            firstChunk[t + 1] = firstChunk[t] + (x.size() + NORM_CHUNK - 1) / NORM_CHUNK;
        }
        int chunks = Math.toIntExact(firstChunk[tensors.size()]);
        MemorySegment[] segs = new MemorySegment[tensors.size()];
        for (int t = 0; t < segs.length; t++) {
            segs[t] = tensors.get(t).segment();
        }
        double[] partial = new double[chunks];
        pool.parallelFor(chunks, c -> {
            int found = Arrays.binarySearch(firstChunk, c);
            // The tensor holding chunk c: the last t with firstChunk[t] <= c (empty tensors own no chunk).
            int t = found >= 0 ? found : -found - 2;
            while (firstChunk[t + 1] <= c) {
                t++;
            }
            Tensor x = tensors.get(t);
            long start = (c - firstChunk[t]) * NORM_CHUNK;
            partial[c] = sumOfSquares(segs[t], x.dtype(), start, Math.min(x.size(), start + NORM_CHUNK));
        });
        double sum = 0;
        for (double p : partial) {
            sum += p;
        }
        return Math.sqrt(sum);
    }

    private static double sumOfSquares(MemorySegment seg, DType dtype, long start, long end) {
        DoubleVector lo = DoubleVector.zero(D);
        DoubleVector hi = DoubleVector.zero(D);
        long i = start;
        for (; i + LANES <= end; i += LANES) {
            FloatVector x = VectorRows.load(seg, dtype, i);
            DoubleVector a = (DoubleVector) x.convertShape(VectorOperators.F2D, D, 0);
            DoubleVector b = (DoubleVector) x.convertShape(VectorOperators.F2D, D, 1);
            lo = a.fma(a, lo);
            hi = b.fma(b, hi);
        }
        if (i < end) {
            FloatVector x = VectorRows.load(seg, dtype, i, end);
            DoubleVector a = (DoubleVector) x.convertShape(VectorOperators.F2D, D, 0);
            DoubleVector b = (DoubleVector) x.convertShape(VectorOperators.F2D, D, 1);
            lo = a.fma(a, lo);
            hi = b.fma(b, hi);
        }
        return LaneSums.sum(lo.add(hi));
    }

    // ----------------------------------------------------------------------------------- scale and add

    /** x *= s, in place. */
    static void scale(CpuPool pool, Tensor x, float s) {
        VectorRows.requireHostFloat("scale", "x", x);
        MemorySegment xs = x.segment();
        DType xt = x.dtype();
        pool.parallelRanges(x.size(), MIN_TASK_ELEMENTS, (start, end) -> {
            long i = start;
            for (; i + LANES <= end; i += LANES) {
                VectorRows.store(VectorRows.load(xs, xt, i).mul(s), xs, xt, i);
            }
            if (i < end) {
                VectorRows.store(VectorRows.load(xs, xt, i, end).mul(s), xs, xt, i, end);
            }
        });
    }

    /** out = a + b; each element is read before it is written, so out may be a or b. */
    static void add(CpuPool pool, Tensor out, Tensor a, Tensor b) {
        String op = "add";
        VectorRows.requireHostFloat(op, "out", out);
        VectorRows.requireHostFloat(op, "a", a);
        VectorRows.requireHostFloat(op, "b", b);
        TensorChecks.requireSameSize(op, "a", a, "out", out);
        TensorChecks.requireSameSize(op, "b", b, "out", out);
        MemorySegment os = out.segment();
        MemorySegment as = a.segment();
        MemorySegment bs = b.segment();
        DType ot = out.dtype();
        DType at = a.dtype();
        DType bt = b.dtype();
        pool.parallelRanges(out.size(), MIN_TASK_ELEMENTS, (start, end) -> {
            long i = start;
            for (; i + LANES <= end; i += LANES) {
                VectorRows.store(VectorRows.load(as, at, i).add(VectorRows.load(bs, bt, i)), os, ot, i);
            }
            if (i < end) {
                VectorRows.store(VectorRows.load(as, at, i, end).add(VectorRows.load(bs, bt, i, end)), os, ot, i, end);
            }
        });
    }
}
