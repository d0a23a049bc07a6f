package org.emma4j.kernels.cpu;

import java.util.List;
import org.emma4j.kernels.AdamWStep;
import org.emma4j.kernels.Tensor;

/** TODO: implemented in its own change. */
final class CpuSwiglu {
    private CpuSwiglu() {
    }

    static void forward(CpuPool pool, Tensor h, Tensor gate, Tensor up) {
        throw new UnsupportedOperationException("CpuSwiglu not implemented yet");
    }

    static void backward(CpuPool pool, Tensor dgate, Tensor dup, Tensor dh, Tensor gate, Tensor up) {
        throw new UnsupportedOperationException("CpuSwiglu not implemented yet");
    }
}
