package org.emma4j.kernels.cuda;

import org.emma4j.kernels.DType;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorChecks;

/** Softmax cross-entropy per row, alone or fused with its gradient, on the device (cross_entropy.cu). */
final class CudaCrossEntropy {
    private CudaCrossEntropy() {
    }

    private static final int BLOCK = 512;

    static void run(CudaContext ctx, IndexChecks checks, String op, Tensor losses, Tensor dlogits, Tensor logits, Tensor labels,
                    float lossScale, int ignoreIndex) {
        int dev = ctx.ordinal();
        if (dlogits != null) {
            DeviceTensors.requireFloat(op, "dlogits", dlogits, dev);
            TensorChecks.requireSameShape(op, "dlogits", dlogits, "logits", logits);
        }
        DeviceTensors.requireFloat(op, "logits", logits, dev);
        DeviceTensors.requireExactly(op, "losses", losses, DType.F32, dev);
        DeviceTensors.requireExactly(op, "labels", labels, DType.I32, dev);
        long rows = logits.rows();
        long vocab = logits.cols();
        if (labels.size() != rows || losses.size() != rows) {
            throw new IllegalArgumentException(op + ": logits (" + logits.name() + ") hold " + rows + " rows of " + vocab
                    + " but labels (" + labels.name() + ") hold " + labels.size() + " and losses (" + losses.name() + ") "
                    + losses.size() + " elements; both must hold one per row");
        }
        int v = DeviceTensors.toInt(op, "vocabulary", vocab);
        int r = DeviceTensors.toInt(op, "rows", rows);
        ctx.enter();
        long flag = checks.check(op, IndexChecks.Kind.LABEL, labels, v, true, ignoreIndex);
        if (rows == 0) {
            return;
        }
        ctx.args().pointer(DeviceTensors.address(losses)).pointer(DeviceTensors.addressOrNull(dlogits))
                .i32(dlogits == null ? 0 : DeviceTensors.code(dlogits.dtype()))
                .pointer(DeviceTensors.address(logits)).i32(DeviceTensors.code(logits.dtype()))
                .pointer(DeviceTensors.address(labels)).i32(r).i32(v).f32(lossScale).i32(ignoreIndex).pointer(flag);
        ctx.launch(CudaKernel.CROSS_ENTROPY, Math.min(r, 65_535), 1, BLOCK, 0);
    }
}
