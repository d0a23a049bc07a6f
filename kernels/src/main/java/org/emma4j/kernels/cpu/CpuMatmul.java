package org.emma4j.kernels.cpu;

import java.util.List;
import org.emma4j.kernels.AdamWStep;
import org.emma4j.kernels.Tensor;

/** TODO: implemented in its own change. */
final class CpuMatmul {
    private CpuMatmul() {
    }

    static void matmul(CpuPool pool, Tensor c, Tensor a, boolean transA, Tensor b, boolean transB, float alpha, float beta) {
        throw new UnsupportedOperationException("CpuMatmul not implemented yet");
    }
}
