package org.emma4j.kernels.cuda;

import org.emma4j.kernels.AdamWStep;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorChecks;

/** One AdamW step on the device (adamw.cu), with the bias corrections computed here in double, as the CPU backend does. */
final class CudaAdamW {
    private CudaAdamW() {
    }

    private static final int BLOCK = 256;

    static void step(CudaContext ctx, Tensor param, Tensor grad, Tensor m, Tensor v, AdamWStep step, Tensor paramCopy) {
        String op = "adamw";
        int dev = ctx.ordinal();
        requireF32State(op, "param", param, param, dev);
        requireF32State(op, "m", m, param, dev);
        requireF32State(op, "v", v, param, dev);
        DeviceTensors.requireFloat(op, "grad", grad, dev);
        TensorChecks.requireSameSize(op, "grad", grad, "param", param);
        if (paramCopy != null) {
            DeviceTensors.requireFloat(op, "paramCopy", paramCopy, dev);
            TensorChecks.requireSameSize(op, "paramCopy", paramCopy, "param", param);
        }
        long n = param.size();
        if (n == 0) {
            return;
        }
        float b1 = step.beta1();
        float b2 = step.beta2();
        float decay = (float) (1.0 - (double) step.lr() * step.weightDecay());
        float stepSize = (float) (step.lr() / (1.0 - Math.pow(b1, step.step())));
        float invSqrtBias2 = (float) (1.0 / Math.sqrt(1.0 - Math.pow(b2, step.step())));
        ctx.enter();
        ctx.args().pointer(DeviceTensors.address(param)).pointer(DeviceTensors.address(grad)).i32(DeviceTensors.code(grad.dtype()))
                .pointer(DeviceTensors.address(m)).pointer(DeviceTensors.address(v)).pointer(DeviceTensors.addressOrNull(paramCopy))
                .i32(paramCopy == null ? 0 : DeviceTensors.code(paramCopy.dtype())).i64(n)
                .f32(step.gradScale()).f32(b1).f32(b2).f32(1f - b1).f32(1f - b2).f32(decay).f32(stepSize).f32(invSqrtBias2).f32(step.eps());
        ctx.launch(CudaKernel.ADAMW, ctx.gridFor(n, BLOCK), 1, BLOCK, 0);
    }

    private static void requireF32State(String op, String role, Tensor t, Tensor param, int dev) {
        DeviceTensors.requireExactly(op, role, t, DType.F32, dev);
        TensorChecks.requireSameSize(op, role, t, "param", param);
    }
}
