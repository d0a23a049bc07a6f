package org.emma4j.kernels.cuda;

import org.emma4j.kernels.DType;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorChecks;

/** RMSNorm forward and backward on the device (native/src/main/cuda/rmsnorm.cu): one block per row. */
final class CudaRmsNorm {
    private CudaRmsNorm() {
    }

    private static final int BLOCK = 256;

    static void forward(CudaContext ctx, Tensor y, Tensor rstd, Tensor x, Tensor weight, float eps) {
        String op = "rmsNormForward";
        int dev = ctx.ordinal();
        DeviceTensors.requireFloat(op, "x", x, dev);
        DeviceTensors.requireFloat(op, "y", y, dev);
        DeviceTensors.requireFloat(op, "weight", weight, dev);
        TensorChecks.requireSameShape(op, "y", y, "x", x);
        long cols = x.cols();
        long rows = x.rows();
        TensorChecks.requireShape(op, "weight", weight, cols);
        if (rstd != null) {
            DeviceTensors.requireExactly(op, "rstd", rstd, DType.F32, dev);
            TensorChecks.requireShape(op, "rstd", rstd, rows);
        }
        if (rows == 0 || cols == 0) {
            return;
        }
        int r = DeviceTensors.toInt(op, "rows", rows);
        ctx.enter();
        ctx.args().pointer(DeviceTensors.address(y)).i32(DeviceTensors.code(y.dtype())).pointer(DeviceTensors.addressOrNull(rstd))
                .pointer(DeviceTensors.address(x)).i32(DeviceTensors.code(x.dtype()))
                .pointer(DeviceTensors.address(weight)).i32(DeviceTensors.code(weight.dtype()))
                .i32(r).i32(DeviceTensors.toInt(op, "cols", cols)).f32(eps);
        ctx.launch(CudaKernel.RMSNORM_FORWARD, Math.min(r, 65_535), 1, BLOCK, 0);
    }

    static void backward(CudaContext ctx, Tensor dx, Tensor dweight, Tensor dy, Tensor x, Tensor weight, Tensor rstd) {
        String op = "rmsNormBackward";
        int dev = ctx.ordinal();
        DeviceTensors.requireFloat(op, "dx", dx, dev);
        DeviceTensors.requireFloat(op, "dweight", dweight, dev);
        DeviceTensors.requireFloat(op, "dy", dy, dev);
        DeviceTensors.requireFloat(op, "x", x, dev);
        DeviceTensors.requireFloat(op, "weight", weight, dev);
        TensorChecks.requireSameShape(op, "dx", dx, "x", x);
        TensorChecks.requireSameShape(op, "dy", dy, "x", x);
        long cols = x.cols();
        long rows = x.rows();
        TensorChecks.requireShape(op, "weight", weight, cols);
        TensorChecks.requireShape(op, "dweight", dweight, cols);
        DeviceTensors.requireExactly(op, "rstd", rstd, DType.F32, dev);
        TensorChecks.requireShape(op, "rstd", rstd, rows);
        if (rows == 0 || cols == 0) {
            return;
        }
        int r = DeviceTensors.toInt(op, "rows", rows);
        int c = DeviceTensors.toInt(op, "cols", cols);
        // Enough blocks to fill the GPU, few enough that their dweight partial rows stay small.
        int blocks = Math.min(r, 1024);
        ctx.enter();
        long partial = ctx.scratch().get(DeviceScratch.Slot.A, (long) blocks * c * 4);
        ctx.args().pointer(DeviceTensors.address(dx)).i32(DeviceTensors.code(dx.dtype())).pointer(partial)
                .pointer(DeviceTensors.address(dy)).i32(DeviceTensors.code(dy.dtype()))
                .pointer(DeviceTensors.address(x)).i32(DeviceTensors.code(x.dtype()))
                .pointer(DeviceTensors.address(weight)).i32(DeviceTensors.code(weight.dtype()))
                .pointer(DeviceTensors.address(rstd)).i32(r).i32(c);
        ctx.launch(CudaKernel.RMSNORM_BACKWARD, blocks, 1, BLOCK, 0);
        ctx.args().pointer(DeviceTensors.address(dweight)).i32(DeviceTensors.code(dweight.dtype())).pointer(partial).i32(blocks).i32(c);
        ctx.launch(CudaKernel.RMSNORM_DWEIGHT, ctx.gridFor(c, BLOCK), 1, BLOCK, 0);
    }
}
