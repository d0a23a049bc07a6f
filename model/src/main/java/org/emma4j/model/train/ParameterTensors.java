package org.emma4j.model.train;

import java.util.ArrayList;
import java.util.List;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorScope;
import org.emma4j.model.checkpoint.LlamaLayerWeights;
import org.emma4j.model.checkpoint.LlamaWeights;

/** Tensors shaped like a model's weights: gradients, AdamW moments, compute copies. */
final class ParameterTensors {
    private ParameterTensors() {
    }

    /** New zeroed tensors with the shapes and names of {@code like}, in {@code dtype}; a tied head stays tied. */
    static LlamaWeights allocateLike(LlamaWeights like, TensorScope scope, DType dtype, String suffix) {
        Tensor embed = zerosLike(like.embedTokens(), scope, dtype, suffix);
        List<LlamaLayerWeights> layers = new ArrayList<>(like.layers().size());
        for (LlamaLayerWeights l : like.layers()) {
            layers.add(new LlamaLayerWeights(zerosLike(l.inputLayernorm(), scope, dtype, suffix), zerosLike(l.qProj(), scope, dtype, suffix),
                    zerosLike(l.kProj(), scope, dtype, suffix), zerosLike(l.vProj(), scope, dtype, suffix),
                    zerosLike(l.oProj(), scope, dtype, suffix), zerosLike(l.postAttentionLayernorm(), scope, dtype, suffix),
                    zerosLike(l.gateProj(), scope, dtype, suffix), zerosLike(l.upProj(), scope, dtype, suffix),
                    zerosLike(l.downProj(), scope, dtype, suffix)));
        }
        Tensor norm = zerosLike(like.norm(), scope, dtype, suffix);
        Tensor head = like.tied() ? embed : zerosLike(like.lmHead(), scope, dtype, suffix);
        return new LlamaWeights(embed, layers, norm, head);
    }

    private static Tensor zerosLike(Tensor t, TensorScope scope, DType dtype, String suffix) {
        return scope.zeros(dtype, t.shape()).named(t.name() + suffix);
    }

    /** The distinct tensors of a weights record, in a fixed order (a tied head once). */
    static List<Tensor> list(LlamaWeights w) {
        return List.copyOf(w.byName().values());
    }
}
