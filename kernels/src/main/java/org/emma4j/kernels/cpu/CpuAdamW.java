package org.emma4j.kernels.cpu;

import java.util.List;
import org.emma4j.kernels.AdamWStep;
import org.emma4j.kernels.Tensor;

/** TODO: implemented in its own change. */
final class CpuAdamW {
    private CpuAdamW() {
    }

    static void step(CpuPool pool, Tensor param, Tensor grad, Tensor m, Tensor v, AdamWStep step, Tensor paramCopy) {
        throw new UnsupportedOperationException("CpuAdamW not implemented yet");
    }
}
