package org.emma4j.kernels.cpu;

import static org.emma4j.kernels.cpu.VectorRows.D;
import static org.emma4j.kernels.cpu.VectorRows.F;
import static org.emma4j.kernels.cpu.VectorRows.LANES;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorChecks;

/**
 * Softmax cross-entropy per row, alone or fused with its gradient, rows spread over the pool. Each row is
 * read in vector passes: the max, then Σ e^(x−max) (so no exponent overflows, whatever the logits), then,
 * for the gradient, e^(x−max)/Σ · lossScale written in place of (or beside) the logits. The exponential is
 * VectorMath.exp (within 2 ulps, the same bits in every JIT tier); each f32 exponential is summed in double
 * lanes, so the label's gradient (p − 1), which cancels when p is near 1, comes out as −(Σ − e_label)/Σ
 * with the very e_label inside Σ and keeps f32's relative accuracy.
 */
final class CpuCrossEntropy {
    private CpuCrossEntropy() {
    }

    /** Below this many elements a task is not worth handing to another thread. */
    private static final long MIN_TASK_ELEMENTS = 1 << 14;

    static void forward(CpuPool pool, Tensor losses, Tensor logits, Tensor labels, int ignoreIndex) {
        run("crossEntropyForward", pool, losses, null, logits, labels, 0f, ignoreIndex);
    }

    static void forwardBackward(CpuPool pool, Tensor losses, Tensor dlogits, Tensor logits, Tensor labels,
                                float lossScale, int ignoreIndex) {
        String op = "crossEntropyForwardBackward";
        VectorRows.requireHostFloat(op, "dlogits", dlogits);
        TensorChecks.requireSameShape(op, "dlogits", dlogits, "logits", logits);
        run(op, pool, losses, dlogits, logits, labels, lossScale, ignoreIndex);
    }

    private static void run(String op, CpuPool pool, Tensor losses, Tensor dlogits, Tensor logits, Tensor labels,
                            float lossScale, int ignoreIndex) {
        VectorRows.requireHostFloat(op, "logits", logits);
        TensorChecks.requireHost(op, "losses", losses);
        TensorChecks.requireDType(op, "losses", losses, DType.F32);
        TensorChecks.requireHost(op, "labels", labels);
        TensorChecks.requireDType(op, "labels", labels, DType.I32);
        long rows = logits.rows();
        long vocab = logits.cols();
        if (labels.size() != rows || losses.size() != rows) {
            throw new IllegalArgumentException(op + ": logits (" + logits.name() + ") hold " + rows + " rows of " + vocab
                    + " but labels (" + labels.name() + ") hold " + labels.size() + " and losses (" + losses.name() + ") "
                    + losses.size() + " elements; both must hold one per row");
        }
        MemorySegment ls = labels.segment();
        checkLabels(op, ls, rows, vocab, ignoreIndex);
        MemorySegment out = losses.segment();
        MemorySegment xs = logits.segment();
        DType xt = logits.dtype();
        MemorySegment ds = dlogits == null ? null : dlogits.segment();
        DType dt = dlogits == null ? null : dlogits.dtype();
        pool.parallelRanges(rows, Math.max(1, MIN_TASK_ELEMENTS / Math.max(1, vocab)), (r0, r1) -> {
            for (long r = r0; r < r1; r++) {
                long base = r * vocab;
                int label = ls.getAtIndex(ValueLayout.JAVA_INT_UNALIGNED, r);
                if (label == ignoreIndex) {
                    out.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, r, 0f);
                    if (ds != null) {
                        writeZeros(ds, dt, base, vocab);
                    }
                    continue;
                }
                float max = rowMax(xs, xt, base, vocab);
                double sum = sumExp(xs, xt, base, vocab, max);
                float target = VectorRows.get(xs, xt, base + label);
                out.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, r, (float) (max + Math.log(sum) - target));
                if (ds != null) {
                    // The same f32 exponential the sum holds (the vector EXP of the same f32 difference).
                    double eLabel = VectorMath.exp(FloatVector.broadcast(F, target).sub(max)).lane(0);
                    writeSoftmax(xs, xt, ds, dt, base, vocab, max, (float) (lossScale / sum));
                    VectorRows.set(ds, dt, base + label, (float) ((eLabel - sum) / sum * lossScale));
                }
            }
        });
    }

    private static void checkLabels(String op, MemorySegment ls, long rows, long vocab, int ignoreIndex) {
        for (long r = 0; r < rows; r++) {
            int label = ls.getAtIndex(ValueLayout.JAVA_INT_UNALIGNED, r);
            if (label != ignoreIndex && (label < 0 || label >= vocab)) {
                throw new IllegalArgumentException(op + ": row " + r + " has label " + label + ", outside the vocabulary [0, "
                        + vocab + ") and not the ignore index " + ignoreIndex);
            }
        }
    }

    private static float rowMax(MemorySegment xs, DType xt, long base, long vocab) {
        FloatVector max = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        long c = 0;
        for (long bound = F.loopBound(vocab); c < bound; c += LANES) {
            max = max.max(VectorRows.load(xs, xt, base + c));
        }
        if (c < vocab) {
            max = max.lanewise(VectorOperators.MAX, VectorRows.load(xs, xt, base + c, base + vocab),
                    VectorRows.tailMask(c, vocab));
        }
        return max.reduceLanes(VectorOperators.MAX);
    }

    /** Σ e^(x − max): each exponential in f32, the sum in two double vectors (low and high lanes). */
    private static double sumExp(MemorySegment xs, DType xt, long base, long vocab, float max) {
        FloatVector shift = FloatVector.broadcast(F, max);
        DoubleVector lo = DoubleVector.zero(D);
        DoubleVector hi = DoubleVector.zero(D);
        long c = 0;
        for (long bound = F.loopBound(vocab); c < bound; c += LANES) {
            FloatVector e = VectorMath.exp(VectorRows.load(xs, xt, base + c).sub(shift));
            lo = lo.add(e.convertShape(VectorOperators.F2D, D, 0));
            hi = hi.add(e.convertShape(VectorOperators.F2D, D, 1));
        }
        if (c < vocab) {
            FloatVector e = VectorMath.exp(VectorRows.load(xs, xt, base + c, base + vocab).sub(shift));
            e = FloatVector.zero(F).blend(e, VectorRows.tailMask(c, vocab));
            lo = lo.add(e.convertShape(VectorOperators.F2D, D, 0));
            hi = hi.add(e.convertShape(VectorOperators.F2D, D, 1));
        }
        return LaneSums.sum(lo.add(hi));
    }

    /** d = e^(x − max) · k for the whole row; reads each element before writing it, so d may be x itself. */
    private static void writeSoftmax(MemorySegment xs, DType xt, MemorySegment ds, DType dt, long base, long vocab,
                                     float max, float k) {
        FloatVector shift = FloatVector.broadcast(F, max);
        long c = 0;
        for (long bound = F.loopBound(vocab); c < bound; c += LANES) {
            FloatVector e = VectorMath.exp(VectorRows.load(xs, xt, base + c).sub(shift));
            VectorRows.store(e.mul(k), ds, dt, base + c);
        }
        if (c < vocab) {
            FloatVector e = VectorMath.exp(VectorRows.load(xs, xt, base + c, base + vocab).sub(shift));
            VectorRows.store(e.mul(k), ds, dt, base + c, base + vocab);
        }
    }

    private static void writeZeros(MemorySegment ds, DType dt, long base, long vocab) {
        ds.asSlice(base * dt.byteSize(), vocab * dt.byteSize()).fill((byte) 0);
    }
}
