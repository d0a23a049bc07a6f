package org.emma4j.kernels.cuda;

import org.emma4j.kernels.DType;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorChecks;

/** Rotary embedding in place on the device, from the same [2, maxPositions, D/2] cos/sin table as the CPU backend (rope.cu). */
final class CudaRope {
    private CudaRope() {
    }

    private static final int BLOCK = 256;

    static void rotate(CudaContext ctx, Tensor x, Tensor cosSin, int pos0, boolean inverse) {
        String op = inverse ? "ropeBackward" : "ropeForward";
        String role = inverse ? "dx" : "x";
        int dev = ctx.ordinal();
        DeviceTensors.requireFloat(op, role, x, dev);
        DeviceTensors.requireExactly(op, "cosSin", cosSin, DType.F32, dev);
        TensorChecks.requireRopeShapes(op, role, x, cosSin, pos0);
        long d = x.dim(3);
        long maxPositions = cosSin.dim(1);
        long steps = x.dim(1);
        if (x.size() == 0) {
            return;
        }
        long rows = x.dim(0) * steps;
        long pairs = x.size() / 2;
        ctx.enter();
        ctx.args().pointer(DeviceTensors.address(x)).i32(DeviceTensors.code(x.dtype())).pointer(DeviceTensors.address(cosSin))
                .i64(rows).i32(DeviceTensors.toInt(op, "T", steps)).i32(DeviceTensors.toInt(op, "heads", x.dim(2)))
                .i32(DeviceTensors.toInt(op, "D/2", d / 2)).i32(DeviceTensors.toInt(op, "maxPositions", maxPositions)).i32(pos0)
                .f32(inverse ? -1f : 1f);
        ctx.launch(CudaKernel.ROPE, ctx.gridFor(pairs, BLOCK), 1, BLOCK, 0);
    }
}
