package org.emma4j.kernels.cpu;

import java.util.List;
import org.emma4j.kernels.AdamWStep;
import org.emma4j.kernels.Tensor;

/** TODO: implemented in its own change. */
final class CpuAttention {
    private CpuAttention() {
    }

    static void forward(CpuPool pool, Tensor out, Tensor lse, Tensor q, Tensor k, Tensor v, int qPos0, float scale) {
        throw new UnsupportedOperationException("CpuAttention not implemented yet");
    }

    static void backward(CpuPool pool, Tensor dq, Tensor dk, Tensor dv, Tensor dout, Tensor out, Tensor lse, Tensor q, Tensor k, Tensor v, int qPos0, float scale) {
        throw new UnsupportedOperationException("CpuAttention not implemented yet");
    }
}
