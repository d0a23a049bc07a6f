package org.emma4j.kernels.cpu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorSpecies;
import org.emma4j.kernels.DType;

/**
 * The few-rows path of {@code y = x · Wᵀ} (decode, short prompts): up to {@link #MAX_ROWS} rows x against W stored
 * [N, K]. Packing W for the blocked GEMM would cost more than the product itself, so W is streamed exactly once
 * instead. The pool splits W's rows; each group of four W rows is dotted along K with the x rows four at a time
 * (16 accumulators, each W vector feeding four FMAs and each x vector four) or, for the last M % 4 rows, one at a
 * time (four independent accumulators hiding the FMA latency). The group, 4·K elements, stays in L1/L2 while every
 * x row passes over it. BF16 weights are widened in registers, so a BF16 GEMV moves half the bytes of an F32 one;
 * F16 weights are widened four rows at a time into native scratch first.
 */
final class CpuGemv {
    private CpuGemv() {
    }

    /** Up to this many rows of op(a) take this path; beyond it, packing W pays for itself. */
    static final int MAX_ROWS = 32;
    private static final VectorSpecies<Float> F = MatmulRows.F;
    private static final VectorSpecies<Short> H = MatmulRows.H;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    /** Rows of W per task: enough work to amortise a task, small enough to balance two threads. */
    private static final int MIN_ROWS_PER_TASK = 64;

    /** {@code c[m, n] = alpha · op(a) · wᵀ + beta · c} with w stored [n, k] ({@code w.trans()} is true). */
    static void gemv(CpuPool pool, boolean parallel, int m, int n, int k, GemmOperand a, GemmOperand w, GemmOperand c,
                     float alpha, float beta) {
        if (m == 0 || n == 0) {
            return;
        }
        float[] x = new float[Math.multiplyExact(m, k)];
        for (int i = 0; i < m; i++) {
            if (a.trans()) {
                for (int kk = 0; kk < k; kk++) {
                    MatmulRows.load(a, kk, i, 1, x, i * k + kk);
                }
            } else {
                MatmulRows.load(a, i, 0, k, x, i * k);
            }
        }
        // F16 rows are widened into native scratch from a shared arena, the same kind of memory as tensors: the
        // vector kernels must only ever see one kind of segment, or C2 stops intrinsifying them.
        try (Arena f16Scratch = w.dtype() == DType.F16 ? Arena.ofShared() : null) {
            CpuPool.RangeBody body = (start, end) -> {
                int s = (int) start;
                int len = (int) (end - start);
                float[] out = new float[m * len];
                multiplyRows(w, s, len, k, x, m, out, alpha, f16Scratch);
                for (int i = 0; i < m; i++) {
                    MatmulRows.store(c, i, s, len, out, i * len, beta);
                }
            };
            if (parallel && pool.threads() > 1) {
                pool.parallelRanges(n, MIN_ROWS_PER_TASK, body);
            } else {
                body.run(0, n);
            }
        }
    }

    /** out[i · len + r] = alpha · dot(x row i, W row s + r) for r in [0, len), i in [0, m). */
    private static void multiplyRows(GemmOperand w, int s, int len, int k, float[] x, int m, float[] out, float alpha,
                                     Arena f16Scratch) {
        float[] dots = new float[16];
        float[] f16Row = f16Scratch != null ? new float[k] : null;
        MemorySegment f16Rows = f16Scratch != null ? f16Scratch.allocate(16L * Math.max(k, 1), 64) : null;
        for (int r = 0; r < len; r += 4) {
            int rows = Math.min(4, len - r);
            MemorySegment seg = w.segment();
            long at = w.storedByteOffset(s + r, 0);
            long ld = w.ld() * w.dtype().byteSize();
            DType dt = w.dtype();
            if (dt == DType.F16) {
                for (int q = 0; q < rows; q++) {
                    MatmulRows.load(w, s + r + q, 0, k, f16Row, 0);
                    MemorySegment.copy(f16Row, 0, f16Rows, ValueLayout.JAVA_FLOAT_UNALIGNED, 4L * q * k, k);
                }
                seg = f16Rows;
                at = 0;
                ld = 4L * k;
                dt = DType.F32;
            }
            boolean bf16 = dt == DType.BF16;
            if (rows < 4) {
                for (int q = 0; q < rows; q++) {
                    for (int i = 0; i < m; i++) {
                        out[i * len + r + q] = alpha * (bf16 ? dotBf16(seg, at + q * ld, x, i * k, 0, k) : dotF32(seg, at + q * ld, x, i * k, 0, k));
                    }
                }
                continue;
            }
            int tail = F.loopBound(k);
            int i = 0;
            for (; i + 4 <= m; i += 4) {
                if (bf16) {
                    dot4x4Bf16(seg, at, ld, x, i * k, k, dots);
                } else {
                    dot4x4F32(seg, at, ld, x, i * k, k, dots);
                }
                for (int q = 0; q < 4; q++) {
                    for (int p = 0; p < 4; p++) {
                        float rest = bf16 ? dotBf16(seg, at + q * ld, x, (i + p) * k, tail, k) : dotF32(seg, at + q * ld, x, (i + p) * k, tail, k);
                        out[(i + p) * len + r + q] = alpha * (dots[q * 4 + p] + rest);
                    }
                }
            }
            for (; i < m; i++) {
                if (bf16) {
                    dot4x1Bf16(seg, at, ld, x, i * k, k, dots);
                } else {
                    dot4x1F32(seg, at, ld, x, i * k, k, dots);
                }
                for (int q = 0; q < 4; q++) {
                    float rest = bf16 ? dotBf16(seg, at + q * ld, x, i * k, tail, k) : dotF32(seg, at + q * ld, x, i * k, tail, k);
                    out[i * len + r + q] = alpha * (dots[q] + rest);
                }
            }
        }
    }

    // The vector kernels run whole vectors only and leave the last k % V elements to the scalar dots below:
    // keeping each method this small lets every JIT tier compile it (with masked tails C1 ran out of registers,
    // and the method never reached C2).

    /** out[q·4 + p] = Σ over whole vectors of W row q (at + q·ld bytes) times x row p (xo + p·k). */
    private static void dot4x4F32(MemorySegment seg, long at, long ld, float[] x, int xo, int k, float[] out) {
        int v = F.length();
        FloatVector s00 = FloatVector.zero(F), s01 = FloatVector.zero(F), s02 = FloatVector.zero(F), s03 = FloatVector.zero(F);
        FloatVector s10 = FloatVector.zero(F), s11 = FloatVector.zero(F), s12 = FloatVector.zero(F), s13 = FloatVector.zero(F);
        FloatVector s20 = FloatVector.zero(F), s21 = FloatVector.zero(F), s22 = FloatVector.zero(F), s23 = FloatVector.zero(F);
        FloatVector s30 = FloatVector.zero(F), s31 = FloatVector.zero(F), s32 = FloatVector.zero(F), s33 = FloatVector.zero(F);
        int upper = F.loopBound(k);
        for (int kk = 0; kk < upper; kk += v) {
            long b = at + 4L * kk;
            FloatVector w0 = FloatVector.fromMemorySegment(F, seg, b + 0, LE);
            FloatVector w1 = FloatVector.fromMemorySegment(F, seg, b + ld, LE);
            FloatVector w2 = FloatVector.fromMemorySegment(F, seg, b + 2 * ld, LE);
            FloatVector w3 = FloatVector.fromMemorySegment(F, seg, b + 3 * ld, LE);
            FloatVector x0 = FloatVector.fromArray(F, x, xo + 0 + kk);
            FloatVector x1 = FloatVector.fromArray(F, x, xo + k + kk);
            FloatVector x2 = FloatVector.fromArray(F, x, xo + 2 * k + kk);
            FloatVector x3 = FloatVector.fromArray(F, x, xo + 3 * k + kk);
            s00 = w0.fma(x0, s00); s01 = w0.fma(x1, s01); s02 = w0.fma(x2, s02); s03 = w0.fma(x3, s03);
            s10 = w1.fma(x0, s10); s11 = w1.fma(x1, s11); s12 = w1.fma(x2, s12); s13 = w1.fma(x3, s13);
            s20 = w2.fma(x0, s20); s21 = w2.fma(x1, s21); s22 = w2.fma(x2, s22); s23 = w2.fma(x3, s23);
            s30 = w3.fma(x0, s30); s31 = w3.fma(x1, s31); s32 = w3.fma(x2, s32); s33 = w3.fma(x3, s33);
        }
        out[0] = LaneSums.sum(s00);
        out[1] = LaneSums.sum(s01);
        out[2] = LaneSums.sum(s02);
        out[3] = LaneSums.sum(s03);
        out[4] = LaneSums.sum(s10);
        out[5] = LaneSums.sum(s11);
        out[6] = LaneSums.sum(s12);
        out[7] = LaneSums.sum(s13);
        out[8] = LaneSums.sum(s20);
        out[9] = LaneSums.sum(s21);
        out[10] = LaneSums.sum(s22);
        out[11] = LaneSums.sum(s23);
        out[12] = LaneSums.sum(s30);
        out[13] = LaneSums.sum(s31);
        out[14] = LaneSums.sum(s32);
        out[15] = LaneSums.sum(s33);
    }

    private static void dot4x4Bf16(MemorySegment seg, long at, long ld, float[] x, int xo, int k, float[] out) {
        int v = F.length();
        FloatVector s00 = FloatVector.zero(F), s01 = FloatVector.zero(F), s02 = FloatVector.zero(F), s03 = FloatVector.zero(F);
        FloatVector s10 = FloatVector.zero(F), s11 = FloatVector.zero(F), s12 = FloatVector.zero(F), s13 = FloatVector.zero(F);
        FloatVector s20 = FloatVector.zero(F), s21 = FloatVector.zero(F), s22 = FloatVector.zero(F), s23 = FloatVector.zero(F);
        FloatVector s30 = FloatVector.zero(F), s31 = FloatVector.zero(F), s32 = FloatVector.zero(F), s33 = FloatVector.zero(F);
        int upper = F.loopBound(k);
        for (int kk = 0; kk < upper; kk += v) {
            long b = at + 2L * kk;
            FloatVector w0 = VectorRows.widen(ShortVector.fromMemorySegment(H, seg, b + 0, LE));
            FloatVector w1 = VectorRows.widen(ShortVector.fromMemorySegment(H, seg, b + ld, LE));
            FloatVector w2 = VectorRows.widen(ShortVector.fromMemorySegment(H, seg, b + 2 * ld, LE));
            FloatVector w3 = VectorRows.widen(ShortVector.fromMemorySegment(H, seg, b + 3 * ld, LE));
            FloatVector x0 = FloatVector.fromArray(F, x, xo + 0 + kk);
            FloatVector x1 = FloatVector.fromArray(F, x, xo + k + kk);
            FloatVector x2 = FloatVector.fromArray(F, x, xo + 2 * k + kk);
            FloatVector x3 = FloatVector.fromArray(F, x, xo + 3 * k + kk);
            s00 = w0.fma(x0, s00); s01 = w0.fma(x1, s01); s02 = w0.fma(x2, s02); s03 = w0.fma(x3, s03);
            s10 = w1.fma(x0, s10); s11 = w1.fma(x1, s11); s12 = w1.fma(x2, s12); s13 = w1.fma(x3, s13);
            s20 = w2.fma(x0, s20); s21 = w2.fma(x1, s21); s22 = w2.fma(x2, s22); s23 = w2.fma(x3, s23);
            s30 = w3.fma(x0, s30); s31 = w3.fma(x1, s31); s32 = w3.fma(x2, s32); s33 = w3.fma(x3, s33);
        }
        out[0] = LaneSums.sum(s00);
        out[1] = LaneSums.sum(s01);
        out[2] = LaneSums.sum(s02);
        out[3] = LaneSums.sum(s03);
        out[4] = LaneSums.sum(s10);
        out[5] = LaneSums.sum(s11);
        out[6] = LaneSums.sum(s12);
        out[7] = LaneSums.sum(s13);
        out[8] = LaneSums.sum(s20);
        out[9] = LaneSums.sum(s21);
        out[10] = LaneSums.sum(s22);
        out[11] = LaneSums.sum(s23);
        out[12] = LaneSums.sum(s30);
        out[13] = LaneSums.sum(s31);
        out[14] = LaneSums.sum(s32);
        out[15] = LaneSums.sum(s33);
    }

    /** out[q] = Σ over whole vectors of W row q (at + q·ld bytes) times the x row at xo. */
    private static void dot4x1F32(MemorySegment seg, long at, long ld, float[] x, int xo, int k, float[] out) {
        int v = F.length();
        FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F), s2 = FloatVector.zero(F), s3 = FloatVector.zero(F);
        int upper = F.loopBound(k);
        for (int kk = 0; kk < upper; kk += v) {
            FloatVector xv = FloatVector.fromArray(F, x, xo + kk);
            long b = at + 4L * kk;
            s0 = FloatVector.fromMemorySegment(F, seg, b + 0, LE).fma(xv, s0);
            s1 = FloatVector.fromMemorySegment(F, seg, b + ld, LE).fma(xv, s1);
            s2 = FloatVector.fromMemorySegment(F, seg, b + 2 * ld, LE).fma(xv, s2);
            s3 = FloatVector.fromMemorySegment(F, seg, b + 3 * ld, LE).fma(xv, s3);
        }
        out[0] = LaneSums.sum(s0);
        out[1] = LaneSums.sum(s1);
        out[2] = LaneSums.sum(s2);
        out[3] = LaneSums.sum(s3);
    }

    private static void dot4x1Bf16(MemorySegment seg, long at, long ld, float[] x, int xo, int k, float[] out) {
        int v = F.length();
        FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F), s2 = FloatVector.zero(F), s3 = FloatVector.zero(F);
        int upper = F.loopBound(k);
        for (int kk = 0; kk < upper; kk += v) {
            FloatVector xv = FloatVector.fromArray(F, x, xo + kk);
            long b = at + 2L * kk;
            s0 = VectorRows.widen(ShortVector.fromMemorySegment(H, seg, b + 0, LE)).fma(xv, s0);
            s1 = VectorRows.widen(ShortVector.fromMemorySegment(H, seg, b + ld, LE)).fma(xv, s1);
            s2 = VectorRows.widen(ShortVector.fromMemorySegment(H, seg, b + 2 * ld, LE)).fma(xv, s2);
            s3 = VectorRows.widen(ShortVector.fromMemorySegment(H, seg, b + 3 * ld, LE)).fma(xv, s3);
        }
        out[0] = LaneSums.sum(s0);
        out[1] = LaneSums.sum(s1);
        out[2] = LaneSums.sum(s2);
        out[3] = LaneSums.sum(s3);
    }

    /** Σ_{kk in [from, k)} W[kk] · x[xo + kk], scalar: for the tails and for the last W rows. */
    private static float dotF32(MemorySegment seg, long at, float[] x, int xo, int from, int k) {
        float s = 0;
        for (int kk = from; kk < k; kk++) {
            s += seg.get(ValueLayout.JAVA_FLOAT_UNALIGNED, at + 4L * kk) * x[xo + kk];
        }
        return s;
    }

    private static float dotBf16(MemorySegment seg, long at, float[] x, int xo, int from, int k) {
        float s = 0;
        for (int kk = from; kk < k; kk++) {
            s += Float.intBitsToFloat(seg.get(ValueLayout.JAVA_SHORT_UNALIGNED, at + 2L * kk) << 16) * x[xo + kk];
        }
        return s;
    }
}
