package org.emma4j.kernels.cuda;

import org.emma4j.kernels.DType;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorChecks;

/**
 * Causal grouped-query attention on the device (kernels in native/src/main/cuda/attention.cu): checks the
 * arguments as the CPU backend does and launches the forward kernel, or the backward's three steps
 * (row deltas, the key-tile kernel accumulating dq in f32 scratch, dq += scratch).
 */
final class CudaAttention {
    private CudaAttention() {
    }

    /** Rows (positions × group heads) per forward block and keys per tile; see attention.cu. */
    private static final int ROWS_PER_BLOCK = 16;
    private static final int KEYS_PER_TILE = 32;
    private static final int THREADS = 128;
    private static final int WARPS = THREADS / 32;
    /** Each lane holds up to 8 dims of an accumulator row. */
    static final int MAX_HEAD_DIM = 256;

    /** The validated dimensions of one call. */
    private record Dims(int batch, int tq, int tk, int hq, int hkv, int headDim, int qPos0) {
        int group() {
            return hq / hkv;
        }

        int keyEnd() {
            return qPos0 + tq;
        }
    }

    static void forward(CudaContext ctx, Tensor out, Tensor lse, Tensor q, Tensor k, Tensor v, int qPos0, float scale) {
        String op = "attentionForward";
        Dims d = dims(ctx, op, q, k, v, qPos0);
        requireLike(ctx, op, "out", out, d.batch, d.tq, d.hq, d.headDim);
        if (lse != null) {
            requireLse(ctx, op, lse, d);
        }
        if (d.batch == 0 || d.tq == 0 || d.hq == 0) {
            return;
        }
        int rows = d.tq * d.group();
        int shared = (KEYS_PER_TILE * (d.headDim + 1) + KEYS_PER_TILE * d.headDim + ROWS_PER_BLOCK * d.headDim) * 4;
        requireShared(ctx, op, shared, d.headDim);
        ctx.enter();
        ctx.args().pointer(DeviceTensors.address(out)).i32(DeviceTensors.code(out.dtype())).pointer(DeviceTensors.addressOrNull(lse))
                .pointer(DeviceTensors.address(q)).i32(DeviceTensors.code(q.dtype()))
                .pointer(DeviceTensors.address(k)).i32(DeviceTensors.code(k.dtype()))
                .pointer(DeviceTensors.address(v)).i32(DeviceTensors.code(v.dtype()))
                .i32(d.tq).i32(d.tk).i32(d.hq).i32(d.hkv).i32(d.headDim).i32(d.qPos0).f32(scale);
        ctx.launch(CudaKernel.ATTENTION_FORWARD, (rows + ROWS_PER_BLOCK - 1) / ROWS_PER_BLOCK, d.batch * d.hkv, THREADS, shared);
    }

    static void backward(CudaContext ctx, Tensor dq, Tensor dk, Tensor dv, Tensor dout, Tensor out, Tensor lse,
                         Tensor q, Tensor k, Tensor v, int qPos0, float scale) {
        String op = "attentionBackward";
        Dims d = dims(ctx, op, q, k, v, qPos0);
        requireLike(ctx, op, "dq", dq, d.batch, d.tq, d.hq, d.headDim);
        requireLike(ctx, op, "dk", dk, d.batch, d.tk, d.hkv, d.headDim);
        requireLike(ctx, op, "dv", dv, d.batch, d.tk, d.hkv, d.headDim);
        requireLike(ctx, op, "dout", dout, d.batch, d.tq, d.hq, d.headDim);
        requireLike(ctx, op, "out", out, d.batch, d.tq, d.hq, d.headDim);
        if (lse == null) {
            throw new IllegalArgumentException(op + ": lse is null; the backward pass needs the log-sum-exp saved by attentionForward");
        }
        requireLse(ctx, op, lse, d);
        if (d.batch == 0 || d.tq == 0 || d.hq == 0) {
            return;
        }
        int shared = (4 * KEYS_PER_TILE * (d.headDim + 1) + WARPS * 2 * d.headDim) * 4;
        requireShared(ctx, op, shared, d.headDim);
        ctx.enter();
        long queryRows = (long) d.batch * d.tq * d.hq;
        long dqAcc = ctx.scratch().get(DeviceScratch.Slot.A, dq.size() * 4L);
        long delta = ctx.scratch().get(DeviceScratch.Slot.B, queryRows * 4L);
        ctx.driver().memset32(dqAcc, 0, dq.size(), ctx.stream());

        ctx.args().pointer(delta).pointer(DeviceTensors.address(dout)).i32(DeviceTensors.code(dout.dtype()))
                .pointer(DeviceTensors.address(out)).i32(DeviceTensors.code(out.dtype())).i64(queryRows).i32(d.headDim);
        ctx.launch(CudaKernel.ATTENTION_BACKWARD_DELTA, DeviceTensors.toInt(op, "row blocks", (queryRows * 32 + THREADS - 1) / THREADS), 1,
                THREADS, 0);

        ctx.args().pointer(dqAcc)
                .pointer(DeviceTensors.address(dk)).i32(DeviceTensors.code(dk.dtype()))
                .pointer(DeviceTensors.address(dv)).i32(DeviceTensors.code(dv.dtype()))
                .pointer(DeviceTensors.address(dout)).i32(DeviceTensors.code(dout.dtype()))
                .pointer(DeviceTensors.address(lse)).pointer(delta)
                .pointer(DeviceTensors.address(q)).i32(DeviceTensors.code(q.dtype()))
                .pointer(DeviceTensors.address(k)).i32(DeviceTensors.code(k.dtype()))
                .pointer(DeviceTensors.address(v)).i32(DeviceTensors.code(v.dtype()))
                .i32(d.tq).i32(d.tk).i32(d.hq).i32(d.hkv).i32(d.headDim).i32(d.qPos0).f32(scale);
        ctx.launch(CudaKernel.ATTENTION_BACKWARD, (d.keyEnd() + KEYS_PER_TILE - 1) / KEYS_PER_TILE, d.batch * d.hkv, THREADS, shared);

        CudaElementwise.accumulate(ctx, dq, dqAcc);
    }

    private static Dims dims(CudaContext ctx, String op, Tensor q, Tensor k, Tensor v, int qPos0) {
        requireOperand(ctx, op, "q", q);
        requireOperand(ctx, op, "k", k);
        requireOperand(ctx, op, "v", v);
        TensorChecks.requireAttentionShapes(op, q, k, v, qPos0);
        long hq = q.dim(2);
        long hkv = k.dim(2);
        long tq = q.dim(1);
        long tk = k.dim(1);
        if (q.dim(3) > MAX_HEAD_DIM) {
            throw new IllegalArgumentException(op + ": q (" + q.name() + ") has head dimension " + q.dim(3)
                    + "; the CUDA attention kernels support up to " + MAX_HEAD_DIM);
        }
        if (q.dim(0) * hkv > 65_535) {
            throw new IllegalArgumentException(op + ": batch × KV heads = " + q.dim(0) * hkv + " of k (" + k.name()
                    + ") exceeds the CUDA attention grid's 65535");
        }
        if (tq * hq > Integer.MAX_VALUE / 32 || tk > Integer.MAX_VALUE / 32) {
            throw new IllegalArgumentException(op + ": q (" + q.name() + ") or k (" + k.name() + ") is too long for the CUDA attention kernels");
        }
        return new Dims((int) q.dim(0), (int) tq, (int) tk, (int) hq, (int) hkv, (int) q.dim(3), qPos0);
    }

    private static void requireOperand(CudaContext ctx, String op, String role, Tensor t) {
        DeviceTensors.requireFloat(op, role, t, ctx.ordinal());
        TensorChecks.requireRank(op, role, t, 4);
    }

    private static void requireLike(CudaContext ctx, String op, String role, Tensor t, long... shape) {
        requireOperand(ctx, op, role, t);
        TensorChecks.requireShape(op, role, t, shape);
    }

    private static void requireLse(CudaContext ctx, String op, Tensor lse, Dims d) {
        DeviceTensors.requireExactly(op, "lse", lse, DType.F32, ctx.ordinal());
        TensorChecks.requireShape(op, "lse", lse, d.batch, d.hq, d.tq);
    }

    private static void requireShared(CudaContext ctx, String op, int bytes, int headDim) {
        if (bytes > ctx.maxDynamicShared()) {
            throw new IllegalArgumentException(op + ": head dimension " + headDim + " needs " + bytes + " bytes of shared memory per block; "
                    + "this GPU offers " + ctx.maxDynamicShared());
        }
    }
}
