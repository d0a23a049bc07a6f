package org.emma4j.kernels.cpu;

import java.util.List;
import org.emma4j.kernels.AdamWStep;
import org.emma4j.kernels.Tensor;

/** TODO: implemented in its own change. */
final class CpuElementwise {
    private CpuElementwise() {
    }

    static void fill(CpuPool pool, Tensor t, float value) {
        throw new UnsupportedOperationException("CpuElementwise not implemented yet");
    }

    static void copy(CpuPool pool, Tensor dst, Tensor src) {
        throw new UnsupportedOperationException("CpuElementwise not implemented yet");
    }

    static double globalL2Norm(CpuPool pool, List<Tensor> tensors) {
        throw new UnsupportedOperationException("CpuElementwise not implemented yet");
    }

    static void scale(CpuPool pool, Tensor x, float s) {
        throw new UnsupportedOperationException("CpuElementwise not implemented yet");
    }

    static void add(CpuPool pool, Tensor out, Tensor a, Tensor b) {
        throw new UnsupportedOperationException("CpuElementwise not implemented yet");
    }
}
