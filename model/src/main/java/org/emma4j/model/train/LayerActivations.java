package org.emma4j.model.train;

import org.emma4j.kernels.DType;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorScope;
import org.emma4j.model.config.LlamaConfig;

/**
 * What one decoder layer's forward pass keeps for its backward pass, for N = batch·T rows. With activation
 * recomputation only {@code input} is kept per layer and the rest is one shared set, refilled by running
 * the layer forward again just before its backward.
 *
 * @param input     the residual stream entering the layer [N, D]
 * @param rstdAttn  RMSNorm reciprocal std before attention [N]
 * @param normAttn  the normalised input of the q/k/v projections [N, D]
 * @param q         queries after RoPE [N, Hq·hd]
 * @param k         keys after RoPE [N, Hkv·hd]
 * @param v         values [N, Hkv·hd]
 * @param attn      attention output before o_proj [N, Hq·hd]
 * @param lse       attention log-sum-exp per row [B, Hq, T]
 * @param mid       the residual stream after attention [N, D]
 * @param rstdMlp   RMSNorm reciprocal std before the MLP [N]
 * @param normMlp   the normalised input of gate/up [N, D]
 * @param gate      gate projection [N, F]
 * @param up        up projection [N, F]
 * @param act       silu(gate)·up, the input of down_proj [N, F]
 */
record LayerActivations(Tensor input, Tensor rstdAttn, Tensor normAttn, Tensor q, Tensor k, Tensor v, Tensor attn, Tensor lse,
                        Tensor mid, Tensor rstdMlp, Tensor normMlp, Tensor gate, Tensor up, Tensor act) {

    static LayerActivations allocate(TensorScope scope, LlamaConfig c, int batch, int seqLen, Tensor input) {
        long n = (long) batch * seqLen;
        int d = c.hiddenSize();
        int f = c.intermediateSize();
        return new LayerActivations(
                input != null ? input : scope.allocate(DType.F32, n, d),
                scope.allocate(DType.F32, n), scope.allocate(DType.F32, n, d),
                scope.allocate(DType.F32, n, c.queryDim()), scope.allocate(DType.F32, n, c.kvDim()),
                scope.allocate(DType.F32, n, c.kvDim()), scope.allocate(DType.F32, n, c.queryDim()),
                scope.allocate(DType.F32, batch, c.numAttentionHeads(), seqLen),
                scope.allocate(DType.F32, n, d), scope.allocate(DType.F32, n), scope.allocate(DType.F32, n, d),
                scope.allocate(DType.F32, n, f), scope.allocate(DType.F32, n, f), scope.allocate(DType.F32, n, f));
    }

    /** The same buffers with another residual input (recomputation shares everything but the input). */
    LayerActivations withInput(Tensor newInput) {
        return new LayerActivations(newInput, rstdAttn, normAttn, q, k, v, attn, lse, mid, rstdMlp, normMlp, gate, up, act);
    }
}
