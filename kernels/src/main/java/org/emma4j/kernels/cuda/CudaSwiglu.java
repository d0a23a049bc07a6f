package org.emma4j.kernels.cuda;

import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorChecks;

/** SwiGLU forward and backward, elementwise on the device (swiglu.cu). */
final class CudaSwiglu {
    private CudaSwiglu() {
    }

    private static final int BLOCK = 256;

    static void forward(CudaContext ctx, Tensor h, Tensor gate, Tensor up) {
        String op = "swigluForward";
        int dev = ctx.ordinal();
        DeviceTensors.requireFloat(op, "h", h, dev);
        DeviceTensors.requireFloat(op, "gate", gate, dev);
        DeviceTensors.requireFloat(op, "up", up, dev);
        TensorChecks.requireSameShape(op, "gate", gate, "h", h);
        TensorChecks.requireSameShape(op, "up", up, "h", h);
        long n = h.size();
        if (n == 0) {
            return;
        }
        ctx.enter();
        ctx.args().pointer(DeviceTensors.address(h)).i32(DeviceTensors.code(h.dtype()))
                .pointer(DeviceTensors.address(gate)).i32(DeviceTensors.code(gate.dtype()))
                .pointer(DeviceTensors.address(up)).i32(DeviceTensors.code(up.dtype())).i64(n);
        ctx.launch(CudaKernel.SWIGLU_FORWARD, ctx.gridFor(n, BLOCK), 1, BLOCK, 0);
    }

    static void backward(CudaContext ctx, Tensor dgate, Tensor dup, Tensor dh, Tensor gate, Tensor up) {
        String op = "swigluBackward";
        int dev = ctx.ordinal();
        DeviceTensors.requireFloat(op, "dgate", dgate, dev);
        DeviceTensors.requireFloat(op, "dup", dup, dev);
        DeviceTensors.requireFloat(op, "dh", dh, dev);
        DeviceTensors.requireFloat(op, "gate", gate, dev);
        DeviceTensors.requireFloat(op, "up", up, dev);
        TensorChecks.requireSameShape(op, "dgate", dgate, "dh", dh);
        TensorChecks.requireSameShape(op, "dup", dup, "dh", dh);
        TensorChecks.requireSameShape(op, "gate", gate, "dh", dh);
        TensorChecks.requireSameShape(op, "up", up, "dh", dh);
        long n = dh.size();
        if (n == 0) {
            return;
        }
        ctx.enter();
        ctx.args().pointer(DeviceTensors.address(dgate)).i32(DeviceTensors.code(dgate.dtype()))
                .pointer(DeviceTensors.address(dup)).i32(DeviceTensors.code(dup.dtype()))
                .pointer(DeviceTensors.address(dh)).i32(DeviceTensors.code(dh.dtype()))
                .pointer(DeviceTensors.address(gate)).i32(DeviceTensors.code(gate.dtype()))
                .pointer(DeviceTensors.address(up)).i32(DeviceTensors.code(up.dtype())).i64(n);
        ctx.launch(CudaKernel.SWIGLU_BACKWARD, ctx.gridFor(n, BLOCK), 1, BLOCK, 0);
    }
}
