package org.emma4j.kernels.cpu;

import java.util.List;
import org.emma4j.kernels.AdamWStep;
import org.emma4j.kernels.Tensor;

/** TODO: implemented in its own change. */
final class CpuEmbedding {
    private CpuEmbedding() {
    }

    static void forward(CpuPool pool, Tensor out, Tensor ids, Tensor table) {
        throw new UnsupportedOperationException("CpuEmbedding not implemented yet");
    }

    static void backward(CpuPool pool, Tensor dtable, Tensor dout, Tensor ids) {
        throw new UnsupportedOperationException("CpuEmbedding not implemented yet");
    }
}
