package org.emma4j.kernels.cpu;

import java.util.List;
import org.emma4j.kernels.AdamWStep;
import org.emma4j.kernels.Tensor;

/** TODO: implemented in its own change. */
final class CpuRope {
    private CpuRope() {
    }

    static void rotate(CpuPool pool, Tensor x, Tensor cosSin, int pos0, boolean inverse) {
        throw new UnsupportedOperationException("CpuRope not implemented yet");
    }
}
