package org.emma4j.kernels.cpu;

import java.util.List;
import org.emma4j.kernels.AdamWStep;
import org.emma4j.kernels.Tensor;

/** TODO: implemented in its own change. */
final class CpuRmsNorm {
    private CpuRmsNorm() {
    }

    static void forward(CpuPool pool, Tensor y, Tensor rstd, Tensor x, Tensor weight, float eps) {
        throw new UnsupportedOperationException("CpuRmsNorm not implemented yet");
    }

    static void backward(CpuPool pool, Tensor dx, Tensor dweight, Tensor dy, Tensor x, Tensor weight, Tensor rstd) {
        throw new UnsupportedOperationException("CpuRmsNorm not implemented yet");
    }
}
