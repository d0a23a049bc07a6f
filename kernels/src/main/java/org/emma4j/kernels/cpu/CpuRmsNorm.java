package org.emma4j.kernels.cpu;

import static org.emma4j.kernels.cpu.VectorRows.F;
import static org.emma4j.kernels.cpu.VectorRows.LANES;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorChecks;

/**
 * RMSNorm over the last dimension, forward and backward, rows spread over the pool. x, y, dx, dy and the
 * weights may each be F32 or BF16; rstd is F32; sums run in f32 vector lanes. Each row pass is its own
 * small method taking only scalars and segments: C2 then compiles every loop with its own inlining budget,
 * and no vector ever crosses a call that might stay out of line (a boxed vector costs ~10x).
 */
final class CpuRmsNorm {
    private CpuRmsNorm() {
    }

    /** Below this many elements a task is not worth handing to another thread. */
    private static final long MIN_TASK_ELEMENTS = 1 << 14;

    static void forward(CpuPool pool, Tensor y, Tensor rstd, Tensor x, Tensor weight, float eps) {
        String op = "rmsNormForward";
        VectorRows.requireHostFloat(op, "x", x);
        VectorRows.requireHostFloat(op, "y", y);
        VectorRows.requireHostFloat(op, "weight", weight);
        TensorChecks.requireSameShape(op, "y", y, "x", x);
        long cols = x.cols();
        long rows = x.rows();
        TensorChecks.requireShape(op, "weight", weight, cols);
        if (rstd != null) {
            TensorChecks.requireHost(op, "rstd", rstd);
            TensorChecks.requireDType(op, "rstd", rstd, DType.F32);
            TensorChecks.requireShape(op, "rstd", rstd, rows);
        }
        MemorySegment ys = y.segment();
        MemorySegment xs = x.segment();
        MemorySegment ws = weight.segment();
        MemorySegment rs = rstd == null ? null : rstd.segment();
        DType yt = y.dtype();
        DType xt = x.dtype();
        DType wt = weight.dtype();
        pool.parallelRanges(rows, Math.max(1, MIN_TASK_ELEMENTS / Math.max(1, cols)), (r0, r1) -> {
            for (long r = r0; r < r1; r++) {
                long base = r * cols;
                float rowRstd = (float) (1.0 / Math.sqrt((double) sumOfSquares(xs, xt, base, cols) / cols + eps));
                if (rs != null) {
                    VectorRows.set(rs, DType.F32, r, rowRstd);
                }
                normalizeRow(ys, yt, xs, xt, ws, wt, base, cols, rowRstd);
            }
        });
    }

    /** y = x·rstd·w for one row. */
    private static void normalizeRow(MemorySegment ys, DType yt, MemorySegment xs, DType xt, MemorySegment ws, DType wt,
                                     long base, long cols, float rowRstd) {
        long c = 0;
        for (long bound = F.loopBound(cols); c < bound; c += LANES) {
            FloatVector xv = VectorRows.load(xs, xt, base + c);
            FloatVector wv = VectorRows.load(ws, wt, c);
            VectorRows.store(xv.mul(rowRstd).mul(wv), ys, yt, base + c);
        }
        if (c < cols) {
            FloatVector xv = VectorRows.load(xs, xt, base + c, base + cols);
            FloatVector wv = VectorRows.load(ws, wt, c, cols);
            VectorRows.store(xv.mul(rowRstd).mul(wv), ys, yt, base + c, base + cols);
        }
    }

    /**
     * dx += rstd·(w∘dy) − x·rstd³·mean(x∘w∘dy) and dweight += Σ_rows dy∘x·rstd. Each task sums its rows'
     * dweight terms into its own f32 buffer; the buffers are added into dweight at the end, so threads never
     * write the same memory.
     */
    static void backward(CpuPool pool, Tensor dx, Tensor dweight, Tensor dy, Tensor x, Tensor weight, Tensor rstd) {
        String op = "rmsNormBackward";
        VectorRows.requireHostFloat(op, "dx", dx);
        VectorRows.requireHostFloat(op, "dweight", dweight);
        VectorRows.requireHostFloat(op, "dy", dy);
        VectorRows.requireHostFloat(op, "x", x);
        VectorRows.requireHostFloat(op, "weight", weight);
        TensorChecks.requireSameShape(op, "dx", dx, "x", x);
        TensorChecks.requireSameShape(op, "dy", dy, "x", x);
        long cols = x.cols();
        long rows = x.rows();
        TensorChecks.requireShape(op, "weight", weight, cols);
        TensorChecks.requireShape(op, "dweight", dweight, cols);
        TensorChecks.requireHost(op, "rstd", rstd);
        TensorChecks.requireDType(op, "rstd", rstd, DType.F32);
        TensorChecks.requireShape(op, "rstd", rstd, rows);
        if (rows == 0 || cols == 0) {
            return;
        }
        int c32 = Math.toIntExact(cols);
        MemorySegment dxs = dx.segment();
        MemorySegment dys = dy.segment();
        MemorySegment xs = x.segment();
        MemorySegment ws = weight.segment();
        MemorySegment rs = rstd.segment();
        DType dxt = dx.dtype();
        DType dyt = dy.dtype();
        DType xt = x.dtype();
        DType wt = weight.dtype();

        long minRows = Math.max(1, MIN_TASK_ELEMENTS / cols);
        int tasks = (int) Math.max(1, Math.min((long) pool.threads() * 4, rows / minRows));
        long rowsPerTask = (rows + tasks - 1) / tasks;
        float[][] partial = new float[tasks][c32];
        pool.parallelFor(tasks, t -> {
            float[] dw = partial[t];
            long end = Math.min(rows, (t + 1) * rowsPerTask);
            for (long r = t * rowsPerTask; r < end; r++) {
                long base = r * cols;
                float rowRstd = VectorRows.get(rs, DType.F32, r);
                // mean(x∘w∘dy)·rstd³ is the one row scalar the dx formula needs.
                float coef = (float) ((double) dotXwDy(xs, xt, ws, wt, dys, dyt, base, c32) / cols * rowRstd * rowRstd * rowRstd);
                backwardRow(dxs, dxt, dys, dyt, xs, xt, ws, wt, base, c32, rowRstd, coef, dw);
            }
        });
        addPartials(dweight, partial);
    }

    /** Σ x∘w∘dy over one row. */
    private static float dotXwDy(MemorySegment xs, DType xt, MemorySegment ws, DType wt, MemorySegment dys, DType dyt,
                                 long base, int cols) {
        FloatVector acc = FloatVector.zero(F);
        int c = 0;
        for (int bound = F.loopBound(cols); c < bound; c += LANES) {
            FloatVector xw = VectorRows.load(xs, xt, base + c).mul(VectorRows.load(ws, wt, c));
            acc = xw.fma(VectorRows.load(dys, dyt, base + c), acc);
        }
        if (c < cols) {
            FloatVector xw = VectorRows.load(xs, xt, base + c, base + cols).mul(VectorRows.load(ws, wt, c, cols));
            acc = xw.fma(VectorRows.load(dys, dyt, base + c, base + cols), acc);
        }
        return LaneSums.sum(acc);
    }

    /** One row: dx += rstd·(w∘dy) − x·coef, and this task's dweight buffer dw += dy∘x·rstd. */
    private static void backwardRow(MemorySegment dxs, DType dxt, MemorySegment dys, DType dyt, MemorySegment xs, DType xt,
                                    MemorySegment ws, DType wt, long base, int cols, float rowRstd, float coef, float[] dw) {
        int c = 0;
        for (int bound = F.loopBound(cols); c < bound; c += LANES) {
            FloatVector xv = VectorRows.load(xs, xt, base + c);
            FloatVector dyv = VectorRows.load(dys, dyt, base + c);
            FloatVector wdy = VectorRows.load(ws, wt, c).mul(dyv);
            FloatVector dxv = wdy.mul(rowRstd).add(VectorRows.load(dxs, dxt, base + c)).sub(xv.mul(coef));
            VectorRows.store(dxv, dxs, dxt, base + c);
            dyv.mul(xv).mul(rowRstd).add(FloatVector.fromArray(F, dw, c)).intoArray(dw, c);
        }
        if (c < cols) {
            long lim = base + cols;
            var m = F.indexInRange(c, cols);
            FloatVector xv = VectorRows.load(xs, xt, base + c, lim);
            FloatVector dyv = VectorRows.load(dys, dyt, base + c, lim);
            FloatVector wdy = VectorRows.load(ws, wt, c, cols).mul(dyv);
            FloatVector dxv = wdy.mul(rowRstd).add(VectorRows.load(dxs, dxt, base + c, lim)).sub(xv.mul(coef));
            VectorRows.store(dxv, dxs, dxt, base + c, lim);
            dyv.mul(xv).mul(rowRstd).add(FloatVector.fromArray(F, dw, c, m)).intoArray(dw, c, m);
        }
    }

    /** dweight += Σ_t partial[t], column vectors at a time (C is a model width, small next to rows·C). */
    private static void addPartials(Tensor dweight, float[][] partial) {
        MemorySegment dws = dweight.segment();
        DType dwt = dweight.dtype();
        int cols = partial[0].length;
        int c = 0;
        for (int bound = F.loopBound(cols); c < bound; c += LANES) {
            FloatVector sum = VectorRows.load(dws, dwt, c);
            for (float[] p : partial) {
                sum = sum.add(FloatVector.fromArray(F, p, c));
            }
            VectorRows.store(sum, dws, dwt, c);
        }
        if (c < cols) {
            var m = F.indexInRange(c, cols);
            FloatVector sum = VectorRows.load(dws, dwt, c, cols);
            for (float[] p : partial) {
                sum = sum.add(FloatVector.fromArray(F, p, c, m));
            }
            VectorRows.store(sum, dws, dwt, c, cols);
        }
    }

    private static float sumOfSquares(MemorySegment xs, DType xt, long base, long cols) {
        FloatVector acc = FloatVector.zero(F);
        long c = 0;
        for (long bound = F.loopBound(cols); c < bound; c += LANES) {
            FloatVector v = VectorRows.load(xs, xt, base + c);
            acc = v.fma(v, acc);
        }
        if (c < cols) {
            FloatVector v = VectorRows.load(xs, xt, base + c, base + cols);
            acc = v.fma(v, acc);
        }
        return LaneSums.sum(acc);
    }
}
