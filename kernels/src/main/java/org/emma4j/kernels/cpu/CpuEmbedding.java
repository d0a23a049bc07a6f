package org.emma4j.kernels.cpu;

import static org.emma4j.kernels.cpu.VectorRows.F;
import static org.emma4j.kernels.cpu.VectorRows.LANES;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorChecks;

/**
 * Token embedding lookup and its scatter-add backward. Every id is checked against the vocabulary before
 * any memory is written, so a bad batch fails cleanly instead of corrupting the table.
 */
final class CpuEmbedding {
    private CpuEmbedding() {
    }

    /** Below this many elements a task is not worth handing to another thread. */
    private static final long MIN_TASK_ELEMENTS = 1 << 14;

    /** out[n, :] = table[ids[n], :] (out shaped as ids plus the width); a plain row copy when the dtypes match, a converting one otherwise. */
    static void forward(CpuPool pool, Tensor out, Tensor ids, Tensor table) {
        String op = "embeddingForward";
        VectorRows.requireHostFloat(op, "out", out);
        VectorRows.requireHostFloat(op, "table", table);
        TensorChecks.requireRank(op, "table", table, 2);
        long vocab = table.dim(0);
        long cols = table.dim(1);
        long n = checkIds(op, ids, vocab);
        TensorChecks.requireShape(op, "out", out, rowShape(ids, cols));
        MemorySegment os = out.segment();
        MemorySegment is = ids.segment();
        MemorySegment ts = table.segment();
        DType ot = out.dtype();
        DType tt = table.dtype();
        long rowBytes = cols * tt.byteSize();
        pool.parallelRanges(n, Math.max(1, MIN_TASK_ELEMENTS / Math.max(1, cols)), (r0, r1) -> {
            for (long r = r0; r < r1; r++) {
                long src = is.getAtIndex(ValueLayout.JAVA_INT_UNALIGNED, r) * cols;
                long dst = r * cols;
                if (ot == tt) {
                    MemorySegment.copy(ts, src * tt.byteSize(), os, dst * ot.byteSize(), rowBytes);
                    continue;
                }
                convertRow(ts, tt, src, os, ot, dst, cols);
            }
        });
    }

    /** One row from the table's dtype into the output's (BF16 rounds to nearest even). */
    private static void convertRow(MemorySegment ts, DType tt, long src, MemorySegment os, DType ot, long dst, long cols) {
        long c = 0;
        for (long bound = F.loopBound(cols); c < bound; c += LANES) {
            VectorRows.store(VectorRows.load(ts, tt, src + c), os, ot, dst + c);
        }
        if (c < cols) {
            VectorRows.store(VectorRows.load(ts, tt, src + c, src + cols), os, ot, dst + c, dst + cols);
        }
    }

    /**
     * dtable[ids[n], :] += dout[n, :]. The positions are first grouped by id (a sort of id·2³²+position), so
     * each table row is read and written once per call with its repeats summed in f32 lanes in between: one
     * rounding per row even for a BF16 table. Tasks own disjoint column ranges, so no two threads write the
     * same memory, and the sum order (positions ascending) does not depend on the thread count.
     */
    static void backward(CpuPool pool, Tensor dtable, Tensor dout, Tensor ids) {
        String op = "embeddingBackward";
        VectorRows.requireHostFloat(op, "dtable", dtable);
        VectorRows.requireHostFloat(op, "dout", dout);
        TensorChecks.requireRank(op, "dtable", dtable, 2);
        long vocab = dtable.dim(0);
        long cols = dtable.dim(1);
        long n = checkIds(op, ids, vocab);
        TensorChecks.requireShape(op, "dout", dout, rowShape(ids, cols));
        if (n == 0 || cols == 0) {
            return;
        }
        MemorySegment ds = dtable.segment();
        MemorySegment os = dout.segment();
        DType dt = dtable.dtype();
        DType ot = dout.dtype();
        long[] byId = positionsById(ids.segment(), Math.toIntExact(n));
        // Column ranges are whole vectors (but the last), enough of them to keep every thread busy.
        long vectors = (cols + LANES - 1) / LANES;
        long minVectors = Math.max(1, MIN_TASK_ELEMENTS / (n * LANES));
        long tasks = Math.max(1, Math.min((long) pool.threads() * 4, vectors / minVectors));
        long width = (vectors + tasks - 1) / tasks * LANES;
        int taskCount = (int) ((cols + width - 1) / width);
        pool.parallelFor(taskCount, t -> addGroups(ds, dt, os, ot, byId, cols, t * width, Math.min(cols, t * width + width)));
    }

    /** For every id group: dtable[id, c0..c1) += Σ dout[position, c0..c1), summed in f32 lanes, stored once. */
    private static void addGroups(MemorySegment ds, DType dt, MemorySegment os, DType ot, long[] byId, long cols, long c0, long c1) {
        for (int g = 0; g < byId.length; ) {
            long id = byId[g] >>> 32;
            int groupEnd = g + 1;
            while (groupEnd < byId.length && byId[groupEnd] >>> 32 == id) {
                groupEnd++;
            }
            long dst = id * cols;
            long c = c0;
            for (; c + LANES <= c1; c += LANES) {
                FloatVector sum = VectorRows.load(ds, dt, dst + c);
                for (int k = g; k < groupEnd; k++) {
                    sum = sum.add(VectorRows.load(os, ot, (byId[k] & 0xFFFFFFFFL) * cols + c));
                }
                VectorRows.store(sum, ds, dt, dst + c);
            }
            if (c < c1) {
                FloatVector sum = VectorRows.load(ds, dt, dst + c, dst + c1);
                for (int k = g; k < groupEnd; k++) {
                    long src = (byId[k] & 0xFFFFFFFFL) * cols;
                    sum = sum.add(VectorRows.load(os, ot, src + c, src + c1));
                }
                VectorRows.store(sum, ds, dt, dst + c, dst + c1);
            }
            g = groupEnd;
        }
    }

    /** id·2³² + position for every position, sorted: the positions of each id together, ascending. */
    private static long[] positionsById(MemorySegment is, int n) {
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = ((long) is.getAtIndex(ValueLayout.JAVA_INT_UNALIGNED, i) << 32) | i;
        }
        Arrays.sort(keys);
        return keys;
    }

    /** The shape of the embedded rows: the ids' shape ([N] or [B, T]) followed by the embedding width. */
    private static long[] rowShape(Tensor ids, long cols) {
        long[] s = Arrays.copyOf(ids.shape(), ids.rank() + 1);
        s[ids.rank()] = cols;
        return s;
    }

    /** Checks ids is a host I32 tensor with every id in [0, vocab); returns how many ids it holds. */
    private static long checkIds(String op, Tensor ids, long vocab) {
        TensorChecks.requireHost(op, "ids", ids);
        TensorChecks.requireDType(op, "ids", ids, DType.I32);
        MemorySegment is = ids.segment();
        long n = ids.size();
        for (long i = 0; i < n; i++) {
            int id = is.getAtIndex(ValueLayout.JAVA_INT_UNALIGNED, i);
            if (id < 0 || id >= vocab) {
                throw new IllegalArgumentException(op + ": ids (" + ids.name() + ") position " + i + " holds token id " + id
                        + ", outside the vocabulary [0, " + vocab + ")");
            }
        }
        return n;
    }
}
