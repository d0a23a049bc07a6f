package org.emma4j.kernels.cpu;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorChecks;

/**
 * Rotary position embedding in Hugging Face's rotate-half layout, in place on x [batch, T, heads, D]:
 * for i < D/2 the pair (x_i, x_{i+D/2}) turns by the angle of position pos0 + t, read from the
 * [2, maxPositions, D/2] cos-then-sin table. The inverse (backward) turns by the opposite angle, which is
 * the transpose of the rotation and so exactly the gradient. Each (batch, time) row of heads is widened
 * to float, rotated with vectors and written back, spread over the pool by rows.
 */
final class CpuRope {
    private CpuRope() {
    }

    private static final VectorSpecies<Float> F = FloatRowIo.F;
    private static final int L = F.length();

    static void rotate(CpuPool pool, Tensor x, Tensor cosSin, int pos0, boolean inverse) {
        String op = inverse ? "ropeBackward" : "ropeForward";
        String role = inverse ? "dx" : "x";
        TensorChecks.requireHost(op, role, x);
        TensorChecks.requireDType(op, role, x, DType.F32, DType.BF16);
        TensorChecks.requireHost(op, "cosSin", cosSin);
        TensorChecks.requireDType(op, "cosSin", cosSin, DType.F32);
        TensorChecks.requireRopeShapes(op, role, x, cosSin, pos0);
        long d = x.dim(3);
        long maxPositions = cosSin.dim(1);
        long steps = x.dim(1);
        if (x.size() == 0) {
            return;
        }
        int half = Math.toIntExact(d / 2);
        int rowLength = Math.toIntExact(x.dim(2) * d);
        int heads = (int) x.dim(2);
        long rows = x.dim(0) * steps;
        MemorySegment xs = x.segment();
        MemorySegment table = cosSin.segment();
        DType dtype = x.dtype();
        float sinSign = inverse ? -1f : 1f;
        long sinBase = maxPositions * half;
        pool.parallelRanges(rows, Math.max(1, 8192 / rowLength), (start, end) -> {
            float[] row = new float[rowLength];
            float[] cos = new float[half];
            float[] sin = new float[half];
            for (long n = start; n < end; n++) {
                long pos = pos0 + n % steps;
                FloatRowIo.load(table, DType.F32, pos * half, half, cos, 0, 1f);
                FloatRowIo.load(table, DType.F32, sinBase + pos * half, half, sin, 0, sinSign);
                FloatRowIo.load(xs, dtype, n * rowLength, rowLength, row, 0, 1f);
                for (int h = 0; h < heads; h++) {
                    rotateHead(row, h * 2 * half, half, cos, sin);
                }
                FloatRowIo.store(xs, dtype, n * rowLength, rowLength, row, 0, 1f);
            }
        });
    }

    /** (a, b) ← (a·cos − b·sin, b·cos + a·sin) for the two halves of one head starting at {@code at}. */
    private static void rotateHead(float[] row, int at, int half, float[] cos, float[] sin) {
        int lo = at;
        int hi = at + half;
        int i = 0;
        for (; i <= half - L; i += L) {
            FloatVector a = FloatVector.fromArray(F, row, lo + i);
            FloatVector b = FloatVector.fromArray(F, row, hi + i);
            FloatVector c = FloatVector.fromArray(F, cos, i);
            FloatVector s = FloatVector.fromArray(F, sin, i);
            a.mul(c).sub(b.mul(s)).intoArray(row, lo + i);
            b.mul(c).add(a.mul(s)).intoArray(row, hi + i);
        }
        for (; i < half; i++) {
            float a = row[lo + i];
            float b = row[hi + i];
            row[lo + i] = a * cos[i] - b * sin[i];
            row[hi + i] = b * cos[i] + a * sin[i];
        }
    }
}
