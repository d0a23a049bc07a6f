package org.emma4j.model.checkpoint;

import org.emma4j.kernels.Backend;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorScope;

/**
 * Copies host weights (typically the read-only mapping of a checkpoint) into a backend's memory in a chosen
 * dtype: F32 for training master weights, BF16 for compute copies or the CUDA backend. The copies belong to
 * {@code scope} and keep their Hugging Face names; a tied LM head stays one tensor.
 */
public final class WeightTransfer {
    private WeightTransfer() {
    }

    public static LlamaWeights copyTo(LlamaWeights weights, Backend backend, TensorScope scope, DType dtype) {
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("weights must be copied as F32, BF16 or F16, not " + dtype);
        }
        return weights.map(t -> copy(t, backend, scope, dtype));
    }

    private static Tensor copy(Tensor src, Backend backend, TensorScope scope, DType dtype) {
        if (!src.isHost()) {
            throw new IllegalArgumentException("weight " + src.name() + " is not in host memory; copyTo reads host (checkpoint) weights");
        }
        Tensor dst = scope.allocate(dtype, src.shape()).named(src.name());
        TensorTransfer.upload(backend, dst, src);
        return dst;
    }
}
