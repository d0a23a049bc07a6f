package org.emma4j.model.checkpoint;

import java.util.List;
import org.emma4j.kernels.Tensor;

/**
 * One decoder layer's weights, named after Hugging Face's modules. Shapes (D = hidden_size,
 * Q = num_attention_heads · head_dim, KV = num_key_value_heads · head_dim, F = intermediate_size), linear
 * weights as [out, in] for {@link org.emma4j.kernels.Backend#linear}:
 *
 * @param inputLayernorm         RMSNorm gain before attention, [D]
 * @param qProj                  query projection, [Q, D]
 * @param kProj                  key projection, [KV, D]
 * @param vProj                  value projection, [KV, D]
 * @param oProj                  attention output projection, [D, Q]
 * @param postAttentionLayernorm RMSNorm gain before the MLP, [D]
 * @param gateProj               SwiGLU gate projection, [F, D]
 * @param upProj                 SwiGLU up projection, [F, D]
 * @param downProj               MLP output projection, [D, F]
 */
public record LlamaLayerWeights(
        Tensor inputLayernorm,
        Tensor qProj,
        Tensor kProj,
        Tensor vProj,
        Tensor oProj,
        Tensor postAttentionLayernorm,
        Tensor gateProj,
        Tensor upProj,
        Tensor downProj) {

    /** The nine tensors in Hugging Face's module order (attention projections, MLP projections, norms). */
    public List<Tensor> tensors() {
        return List.of(qProj, kProj, vProj, oProj, gateProj, upProj, downProj, inputLayernorm, postAttentionLayernorm);
    }
}
