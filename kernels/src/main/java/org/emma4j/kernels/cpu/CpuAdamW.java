package org.emma4j.kernels.cpu;

import static org.emma4j.kernels.cpu.VectorRows.F;
import static org.emma4j.kernels.cpu.VectorRows.LANES;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import org.emma4j.kernels.AdamWStep;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorChecks;

/**
 * One AdamW step over F32 master weights and moments, elementwise over the pool, in PyTorch's order:
 * g = gradScale·grad; p ← p·(1 − lr·wd); m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²;
 * p ← p − (lr / (1−β1^t)) · m / (√v / √(1−β2^t) + ε). The bias corrections are computed once in double.
 */
final class CpuAdamW {
    private CpuAdamW() {
    }

    /** Below this many elements a task is not worth handing to another thread. */
    private static final long MIN_TASK_ELEMENTS = 1 << 14;

    static void step(CpuPool pool, Tensor param, Tensor grad, Tensor m, Tensor v, AdamWStep step, Tensor paramCopy) {
        String op = "adamw";
        requireF32State(op, "param", param, param);
        requireF32State(op, "m", m, param);
        requireF32State(op, "v", v, param);
        VectorRows.requireHostFloat(op, "grad", grad);
        TensorChecks.requireSameSize(op, "grad", grad, "param", param);
        if (paramCopy != null) {
            VectorRows.requireHostFloat(op, "paramCopy", paramCopy);
            TensorChecks.requireSameSize(op, "paramCopy", paramCopy, "param", param);
        }
        MemorySegment ps = param.segment();
        MemorySegment gs = grad.segment();
        MemorySegment ms = m.segment();
        MemorySegment vs = v.segment();
        MemorySegment cs = paramCopy == null ? null : paramCopy.segment();
        DType gt = grad.dtype();
        DType ct = paramCopy == null ? null : paramCopy.dtype();

        Constants k = new Constants(step.beta1(), step.beta2(), step.gradScale(),
                (float) (1.0 - (double) step.lr() * step.weightDecay()),
                (float) (step.lr() / (1.0 - Math.pow(step.beta1(), step.step()))),
                (float) (1.0 / Math.sqrt(1.0 - Math.pow(step.beta2(), step.step()))), step.eps());
        pool.parallelRanges(param.size(), MIN_TASK_ELEMENTS, (start, end) -> updateRange(ps, gs, gt, ms, vs, cs, ct, k, start, end));
    }

    /** The per-step scalars: decay = 1 − lr·wd, stepSize = lr/(1 − β1^t), invSqrtBias2 = 1/√(1 − β2^t). */
    private record Constants(float b1, float b2, float gradScale, float decay, float stepSize, float invSqrtBias2, float eps) {
    }

    /** The update over [start, end); its own method so C2 compiles the loop with a full inlining budget. */
    private static void updateRange(MemorySegment ps, MemorySegment gs, DType gt, MemorySegment ms, MemorySegment vs,
                                    MemorySegment cs, DType ct, Constants k, long start, long end) {
        float b1 = k.b1();
        float b2 = k.b2();
        float oneMinusB1 = 1f - b1;
        float oneMinusB2 = 1f - b2;
        float gradScale = k.gradScale();
        float decay = k.decay();
        float stepSize = k.stepSize();
        float invSqrtBias2 = k.invSqrtBias2();
        float eps = k.eps();
        long i = start;
        for (long bound = start + F.loopBound(end - start); i < bound; i += LANES) {
            FloatVector g = VectorRows.load(gs, gt, i).mul(gradScale);
            FloatVector mv = VectorRows.load(ms, DType.F32, i).mul(b1).add(g.mul(oneMinusB1));
            FloatVector vv = VectorRows.load(vs, DType.F32, i).mul(b2).add(g.mul(g).mul(oneMinusB2));
            FloatVector denom = vv.sqrt().mul(invSqrtBias2).add(eps);
            FloatVector p = VectorRows.load(ps, DType.F32, i).mul(decay).sub(mv.div(denom).mul(stepSize));
            VectorRows.store(mv, ms, DType.F32, i);
            VectorRows.store(vv, vs, DType.F32, i);
            VectorRows.store(p, ps, DType.F32, i);
            if (cs != null) {
                VectorRows.store(p, cs, ct, i);
            }
        }
        if (i < end) {
            FloatVector g = VectorRows.load(gs, gt, i, end).mul(gradScale);
            FloatVector mv = VectorRows.load(ms, DType.F32, i, end).mul(b1).add(g.mul(oneMinusB1));
            FloatVector vv = VectorRows.load(vs, DType.F32, i, end).mul(b2).add(g.mul(g).mul(oneMinusB2));
            FloatVector denom = vv.sqrt().mul(invSqrtBias2).add(eps);
            FloatVector p = VectorRows.load(ps, DType.F32, i, end).mul(decay).sub(mv.div(denom).mul(stepSize));
            VectorRows.store(mv, ms, DType.F32, i, end);
            VectorRows.store(vv, vs, DType.F32, i, end);
            VectorRows.store(p, ps, DType.F32, i, end);
            if (cs != null) {
                VectorRows.store(p, cs, ct, i, end);
            }
        }
    }

    private static void requireF32State(String op, String role, Tensor t, Tensor param) {
        TensorChecks.requireHost(op, role, t);
        TensorChecks.requireDType(op, role, t, DType.F32);
        TensorChecks.requireSameSize(op, role, t, "param", param);
    }
}
