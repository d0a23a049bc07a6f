package org.emma4j.model.train;

import java.util.List;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorScope;
import org.emma4j.model.checkpoint.LlamaWeights;

/** Tensors shaped like a model's weights: gradients, AdamW moments, compute copies. */
final class ParameterTensors {
    private ParameterTensors() {
    }

    /** New zeroed tensors with the shapes and names of {@code like}, in {@code dtype}; a tied head stays tied. */
    static LlamaWeights allocateLike(LlamaWeights like, TensorScope scope, DType dtype, String suffix) {
        return like.map(t -> zerosLike(t, scope, dtype, suffix));
    }

    private static Tensor zerosLike(Tensor t, TensorScope scope, DType dtype, String suffix) {
        return scope.zeros(dtype, t.shape()).named(t.name() + suffix);
    }

    /** The distinct tensors of a weights record, in a fixed order (a tied head once). */
    static List<Tensor> list(LlamaWeights w) {
        return List.copyOf(w.byName().values());
    }
}
