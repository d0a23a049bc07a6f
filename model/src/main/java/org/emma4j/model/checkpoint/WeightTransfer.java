package org.emma4j.model.checkpoint;

import java.util.ArrayList;
import java.util.List;
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
        Tensor embed = copy(weights.embedTokens(), backend, scope, dtype);
        List<LlamaLayerWeights> layers = new ArrayList<>(weights.layers().size());
        for (LlamaLayerWeights l : weights.layers()) {
            layers.add(new LlamaLayerWeights(copy(l.inputLayernorm(), backend, scope, dtype), copy(l.qProj(), backend, scope, dtype),
                    copy(l.kProj(), backend, scope, dtype), copy(l.vProj(), backend, scope, dtype),
                    copy(l.oProj(), backend, scope, dtype), copy(l.postAttentionLayernorm(), backend, scope, dtype),
                    copy(l.gateProj(), backend, scope, dtype), copy(l.upProj(), backend, scope, dtype),
                    copy(l.downProj(), backend, scope, dtype)));
        }
        Tensor norm = copy(weights.norm(), backend, scope, dtype);
        Tensor head = weights.tied() ? embed : copy(weights.lmHead(), backend, scope, dtype);
        return new LlamaWeights(embed, layers, norm, head);
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
