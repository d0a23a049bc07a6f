package org.emma4j.kernels.cuda;

import java.util.Arrays;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorChecks;

/**
 * Token embedding lookup and its scatter-add backward on the device (embedding.cu). Ids are checked on the
 * device first ({@link IndexChecks}); a bad id leaves every tensor untouched. The backward adds into an f32
 * table with atomics; a bf16 table is widened into f32 scratch and rounded back once.
 */
final class CudaEmbedding {
    private CudaEmbedding() {
    }

    private static final int BLOCK = 256;

    static void forward(CudaContext ctx, IndexChecks checks, Tensor out, Tensor ids, Tensor table) {
        String op = "embeddingForward";
        int dev = ctx.ordinal();
        DeviceTensors.requireFloat(op, "out", out, dev);
        DeviceTensors.requireFloat(op, "table", table, dev);
        TensorChecks.requireRank(op, "table", table, 2);
        DeviceTensors.requireExactly(op, "ids", ids, DType.I32, dev);
        long cols = table.dim(1);
        TensorChecks.requireShape(op, "out", out, rowShape(ids, cols));
        int vocab = DeviceTensors.toInt(op, "vocabulary", table.dim(0));
        ctx.enter();
        long flag = checks.check(op, IndexChecks.Kind.TOKEN_ID, ids, vocab, false, 0);
        long n = ids.size();
        if (n == 0 || cols == 0) {
            return;
        }
        ctx.args().pointer(DeviceTensors.address(out)).i32(DeviceTensors.code(out.dtype())).pointer(DeviceTensors.address(ids))
                .pointer(DeviceTensors.address(table)).i32(DeviceTensors.code(table.dtype())).i64(n)
                .i32(DeviceTensors.toInt(op, "cols", cols)).pointer(flag);
        ctx.launch(CudaKernel.EMBEDDING_FORWARD, ctx.gridFor(n * cols, BLOCK), 1, BLOCK, 0);
    }

    static void backward(CudaContext ctx, IndexChecks checks, Tensor dtable, Tensor dout, Tensor ids) {
        String op = "embeddingBackward";
        int dev = ctx.ordinal();
        DeviceTensors.requireFloat(op, "dtable", dtable, dev);
        DeviceTensors.requireFloat(op, "dout", dout, dev);
        TensorChecks.requireRank(op, "dtable", dtable, 2);
        DeviceTensors.requireExactly(op, "ids", ids, DType.I32, dev);
        long cols = dtable.dim(1);
        TensorChecks.requireShape(op, "dout", dout, rowShape(ids, cols));
        int vocab = DeviceTensors.toInt(op, "vocabulary", dtable.dim(0));
        ctx.enter();
        long flag = checks.check(op, IndexChecks.Kind.TOKEN_ID, ids, vocab, false, 0);
        long n = ids.size();
        if (n == 0 || cols == 0) {
            return;
        }
        boolean f32 = dtable.dtype() == DType.F32;
        long target = f32 ? DeviceTensors.address(dtable) : CudaElementwise.castToScratch(ctx, DeviceScratch.Slot.A, dtable, DType.F32);
        ctx.args().pointer(target).pointer(DeviceTensors.address(dout)).i32(DeviceTensors.code(dout.dtype()))
                .pointer(DeviceTensors.address(ids)).i64(n).i32(DeviceTensors.toInt(op, "cols", cols)).pointer(flag);
        ctx.launch(CudaKernel.EMBEDDING_BACKWARD, ctx.gridFor(n * cols, BLOCK), 1, BLOCK, 0);
        if (!f32) {
            // A rejected batch (deferred check) added nothing, so this writes back the table's own values exactly.
            CudaElementwise.castFromScratch(ctx, dtable, target);
        }
    }

    /** The ids' shape ([N] or [B, T]) followed by the embedding width. */
    private static long[] rowShape(Tensor ids, long cols) {
        long[] s = Arrays.copyOf(ids.shape(), ids.rank() + 1);
        s[ids.rank()] = cols;
        return s;
    }
}
