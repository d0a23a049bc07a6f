package org.emma4j.kernels.cpu;

import java.util.List;
import org.emma4j.kernels.AdamWStep;
import org.emma4j.kernels.Tensor;

/** TODO: implemented in its own change. */
final class CpuCrossEntropy {
    private CpuCrossEntropy() {
    }

    static void forward(CpuPool pool, Tensor losses, Tensor logits, Tensor labels, int ignoreIndex) {
        throw new UnsupportedOperationException("CpuCrossEntropy not implemented yet");
    }

    static void forwardBackward(CpuPool pool, Tensor losses, Tensor dlogits, Tensor logits, Tensor labels, float lossScale, int ignoreIndex) {
        throw new UnsupportedOperationException("CpuCrossEntropy not implemented yet");
    }
}
