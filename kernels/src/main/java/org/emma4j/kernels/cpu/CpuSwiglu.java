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
 * SwiGLU, h = silu(g)·u with silu(g) = g·σ(g), elementwise over the pool. σ(g) = 1/(1 + e^(−g)) stays
 * finite for any finite g: e^(−g) overflows to +∞ only where σ is 0 anyway, and every product then
 * multiplies that exact 0 by finite numbers, so large |g| never makes a NaN.
 */
final class CpuSwiglu {
    private CpuSwiglu() {
    }

    /** Below this many elements a task is not worth handing to another thread. */
    private static final long MIN_TASK_ELEMENTS = 1 << 14;

    static void forward(CpuPool pool, Tensor h, Tensor gate, Tensor up) {
        String op = "swigluForward";
        VectorRows.requireHostFloat(op, "h", h);
        VectorRows.requireHostFloat(op, "gate", gate);
        VectorRows.requireHostFloat(op, "up", up);
        TensorChecks.requireSameShape(op, "gate", gate, "h", h);
        TensorChecks.requireSameShape(op, "up", up, "h", h);
        MemorySegment hs = h.segment();
        MemorySegment gs = gate.segment();
        MemorySegment us = up.segment();
        DType ht = h.dtype();
        DType gt = gate.dtype();
        DType ut = up.dtype();
        pool.parallelRanges(h.size(), MIN_TASK_ELEMENTS, (start, end) -> forwardRange(hs, ht, gs, gt, us, ut, start, end));
    }

    /** h = silu(g)·u over [start, end); a method of its own so C2 compiles the loop with a full inlining budget. */
    private static void forwardRange(MemorySegment hs, DType ht, MemorySegment gs, DType gt, MemorySegment us, DType ut,
                                     long start, long end) {
        long i = start;
        for (long bound = start + F.loopBound(end - start); i < bound; i += LANES) {
            FloatVector g = VectorRows.load(gs, gt, i);
            FloatVector u = VectorRows.load(us, ut, i);
            VectorRows.store(g.mul(sigmoid(g)).mul(u), hs, ht, i);
        }
        if (i < end) {
            FloatVector g = VectorRows.load(gs, gt, i, end);
            FloatVector u = VectorRows.load(us, ut, i, end);
            VectorRows.store(g.mul(sigmoid(g)).mul(u), hs, ht, i, end);
        }
    }

    /** dgate += dh·u·σ(g)·(1 + g·(1 − σ(g))), dup += dh·silu(g). */
    static void backward(CpuPool pool, Tensor dgate, Tensor dup, Tensor dh, Tensor gate, Tensor up) {
        String op = "swigluBackward";
        VectorRows.requireHostFloat(op, "dgate", dgate);
        VectorRows.requireHostFloat(op, "dup", dup);
        VectorRows.requireHostFloat(op, "dh", dh);
        VectorRows.requireHostFloat(op, "gate", gate);
        VectorRows.requireHostFloat(op, "up", up);
        TensorChecks.requireSameShape(op, "dgate", dgate, "dh", dh);
        TensorChecks.requireSameShape(op, "dup", dup, "dh", dh);
        TensorChecks.requireSameShape(op, "gate", gate, "dh", dh);
        TensorChecks.requireSameShape(op, "up", up, "dh", dh);
        MemorySegment dgs = dgate.segment();
        MemorySegment dus = dup.segment();
        MemorySegment dhs = dh.segment();
        MemorySegment gs = gate.segment();
        MemorySegment us = up.segment();
        DType dgt = dgate.dtype();
        DType dut = dup.dtype();
        DType dht = dh.dtype();
        DType gt = gate.dtype();
        DType ut = up.dtype();
        pool.parallelRanges(dh.size(), MIN_TASK_ELEMENTS,
                (start, end) -> backwardRange(dgs, dgt, dus, dut, dhs, dht, gs, gt, us, ut, start, end));
    }

    /** dgate and dup over [start, end). */
    private static void backwardRange(MemorySegment dgs, DType dgt, MemorySegment dus, DType dut, MemorySegment dhs, DType dht,
                                      MemorySegment gs, DType gt, MemorySegment us, DType ut, long start, long end) {
        long i = start;
        for (long bound = start + F.loopBound(end - start); i < bound; i += LANES) {
            FloatVector g = VectorRows.load(gs, gt, i);
            FloatVector u = VectorRows.load(us, ut, i);
            FloatVector d = VectorRows.load(dhs, dht, i);
            FloatVector s = sigmoid(g);
            FloatVector dSilu = s.mul(g.mul(s.neg().add(1f)).add(1f));
            VectorRows.store(d.mul(u).fma(dSilu, VectorRows.load(dgs, dgt, i)), dgs, dgt, i);
            VectorRows.store(d.mul(g.mul(s)).add(VectorRows.load(dus, dut, i)), dus, dut, i);
        }
        if (i < end) {
            FloatVector g = VectorRows.load(gs, gt, i, end);
            FloatVector u = VectorRows.load(us, ut, i, end);
            FloatVector d = VectorRows.load(dhs, dht, i, end);
            FloatVector s = sigmoid(g);
            FloatVector dSilu = s.mul(g.mul(s.neg().add(1f)).add(1f));
            VectorRows.store(d.mul(u).fma(dSilu, VectorRows.load(dgs, dgt, i, end)), dgs, dgt, i, end);
            VectorRows.store(d.mul(g.mul(s)).add(VectorRows.load(dus, dut, i, end)), dus, dut, i, end);
        }
    }

    /** σ(g) = 1/(1 + e^(−g)); VectorMath.exp is within 2 ulps and gives the same bits in every JIT tier. */
    private static FloatVector sigmoid(FloatVector g) {
        FloatVector one = FloatVector.broadcast(F, 1f);
        return one.div(VectorMath.exp(g.neg()).add(one));
    }
}
