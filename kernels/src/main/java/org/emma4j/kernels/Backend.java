package org.emma4j.kernels;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * Every op the Llama 3 forward and backward passes need, on one kind of memory. The CPU backend and the
 * CUDA backend implement it; the model never knows which one runs it.
 *
 * <p>Conventions, the same for every op:
 * <ul>
 *   <li>Outputs are passed in, never allocated by the op (allocate from a {@link TensorScope}).</li>
 *   <li>Forward ops overwrite their outputs. Backward ops <b>add into</b> every gradient they produce
 *       ({@code dx += ...}, {@code dweight += ...}), as llm.c does, so residual branches and gradient
 *       accumulation need no extra adds; zero gradients before the first backward. The exceptions say so:
 *       RoPE works in place both ways, and cross-entropy writes its dlogits.</li>
 *   <li>Activations are row-major: a linear layer's input is [rows, in], its weight [out, in] as in
 *       PyTorch, and attention tensors are [batch, time, heads, headDim].</li>
 *   <li>Floating-point operands may be F32 or BF16 (weights also F16 where noted); accumulation is F32.</li>
 *   <li>Shape or dtype mismatches throw {@link IllegalArgumentException} naming the tensors.</li>
 * </ul>
 */
public interface Backend extends AutoCloseable {

    /** A short name for logs ("cpu", "cuda:0"). */
    String name();

    /** A new scope whose tensors live in this backend's memory. */
    TensorScope newScope();

    // ---------------------------------------------------------------------------------------------- data

    /** Copies {@code dst.byteSize()} bytes from host memory (already in dst's dtype) into {@code dst}. */
    void upload(Tensor dst, MemorySegment src);

    /** Copies {@code src.byteSize()} bytes of {@code src} into host memory. */
    void download(Tensor src, MemorySegment dst);

    /** Sets every element to {@code value} (rounded to the tensor's dtype). */
    void fill(Tensor t, float value);

    /**
     * Copies {@code src} into {@code dst} (same number of elements), converting the dtype on the way:
     * F32 to BF16 rounds to nearest even (NaN stays NaN), BF16/F16 to F32 is exact.
     */
    void copy(Tensor dst, Tensor src);

    /**
     * The tensor's elements as floats on the host, whatever its dtype and memory (for tests and logging).
     * The staging memory comes from a shared arena, never a confined one: once C2 has compiled hot segment
     * access on a confined session, the Vector API kernels on the (shared) tensor memory stop being
     * intrinsified and box every vector, measured 15-25x slower, for the rest of the JVM's life.
     */
    default float[] toFloats(Tensor t) {
        try (var arena = java.lang.foreign.Arena.ofShared()) {
            MemorySegment host = arena.allocate(Math.max(1, t.byteSize()), 64);
            download(t, host);
            return HostConversions.toFloats(host, t.dtype(), t.size());
        }
    }

    /** Writes floats from the host into {@code t}, rounding to its dtype (BF16: nearest even). */
    default void fromFloats(Tensor t, float[] values) {
        if (values.length != t.size()) {
            throw new IllegalArgumentException("tensor " + t.name() + " holds " + t.size() + " elements, got " + values.length + " values");
        }
        // Shared, not confined: see toFloats.
        try (var arena = java.lang.foreign.Arena.ofShared()) {
            MemorySegment host = arena.allocate(Math.max(1, t.byteSize()), 64);
            HostConversions.fromFloats(values, host, t.dtype());
            upload(t, host);
        }
    }

    // ---------------------------------------------------------------------------------------- matmul

    /**
     * {@code c = alpha · op(a) · op(b) + beta · c}, where op transposes when asked. Shapes: op(a) is
     * [M, K], op(b) is [K, N], c is [M, N], each optionally behind the same leading batch dimensions;
     * an operand of rank 2 is shared by every batch entry (a weight). {@code c} is F32 or BF16,
     * {@code a} and {@code b} F32, BF16 or F16; accumulation is F32. With {@code beta == 0}, c is not read.
     */
    void matmul(Tensor c, Tensor a, boolean transA, Tensor b, boolean transB, float alpha, float beta);

    /** A linear layer: {@code y[rows, out] = x[rows, in] · wᵀ}, with w as [out, in]. */
    default void linear(Tensor y, Tensor x, Tensor w) {
        matmul(y, x, false, w, true, 1f, 0f);
    }

    /** Linear backward to the input: {@code dx[rows, in] += dy[rows, out] · w[out, in]}. */
    default void linearBackwardInput(Tensor dx, Tensor dy, Tensor w) {
        matmul(dx, dy, false, w, false, 1f, 1f);
    }

    /** Linear backward to the weight: {@code dw[out, in] += dyᵀ · x}, dy as [rows, out], x as [rows, in]. */
    default void linearBackwardWeight(Tensor dw, Tensor dy, Tensor x) {
        matmul(dw, dy.view(dy.rows(), dy.cols()), true, x.view(x.rows(), x.cols()), false, 1f, 1f);
    }

    // ------------------------------------------------------------------------------------ normalisation

    /**
     * RMSNorm over the last dimension: {@code y = x / sqrt(mean(x²) + eps) · weight}. x and y are
     * [rows, C], weight [C]; {@code rstd} [rows] F32 receives {@code 1/sqrt(mean(x²)+eps)} for the backward
     * pass, or is null when no backward will follow.
     */
    void rmsNormForward(Tensor y, Tensor rstd, Tensor x, Tensor weight, float eps);

    /** RMSNorm backward: {@code dx += ...}, {@code dweight += ...} from dy, x, weight and the saved rstd. */
    void rmsNormBackward(Tensor dx, Tensor dweight, Tensor dy, Tensor x, Tensor weight, Tensor rstd);

    // ------------------------------------------------------------------------------------------------ rope

    /**
     * Rotary embedding in Hugging Face's rotate-half layout, in place on {@code x} [batch, T, heads, D]:
     * pairs (i, i + D/2) rotate by the angle of position {@code pos0 + t}. {@code cosSin} is the F32 table of
     * {@link RopeFrequencies#cosSinTable}, shape [2, maxPositions, D/2].
     */
    void ropeForward(Tensor x, Tensor cosSin, int pos0);

    /** RoPE backward, in place: rotates the gradient by the opposite angle. */
    void ropeBackward(Tensor dx, Tensor cosSin, int pos0);

    // ------------------------------------------------------------------------------------------- attention

    /**
     * Causal grouped-query attention, memory-efficient (online softmax; no [T, T] matrix is kept).
     * q and out are [B, Tq, Hq, D]; k and v are [B, Tk, Hkv, D] with Hq a multiple of Hkv (query head h reads
     * KV head h / (Hq/Hkv)). Query t sits at absolute position {@code qPos0 + t} and sees keys
     * {@code 0 .. qPos0 + t}, so a KV cache of capacity Tk ≥ qPos0 + Tq works unchanged.
     * {@code lse} [B, Hq, Tq] F32 receives each row's log-sum-exp of scaled scores for backward, or is null.
     */
    void attentionForward(Tensor out, Tensor lse, Tensor q, Tensor k, Tensor v, int qPos0, float scale);

    /** Attention backward: {@code dq, dk, dv += ...}, recomputing scores from q, k and the saved lse. */
    void attentionBackward(Tensor dq, Tensor dk, Tensor dv, Tensor dout, Tensor out, Tensor lse,
                           Tensor q, Tensor k, Tensor v, int qPos0, float scale);

    // ------------------------------------------------------------------------------------------ feed-forward

    /** SwiGLU: {@code h = silu(gate) · up}, all of the same shape; h may alias gate or up (elementwise). */
    void swigluForward(Tensor h, Tensor gate, Tensor up);

    /** SwiGLU backward: {@code dgate += dh·up·silu'(gate)}, {@code dup += dh·silu(gate)}. */
    void swigluBackward(Tensor dgate, Tensor dup, Tensor dh, Tensor gate, Tensor up);

    // ------------------------------------------------------------------------------------------- embedding

    /** {@code out[n, :] = table[ids[n], :]}; ids is I32 [N], table [V, C], out [N, C]. */
    void embeddingForward(Tensor out, Tensor ids, Tensor table);

    /** Scatter-add: {@code dtable[ids[n], :] += dout[n, :]}, repeated ids summed. */
    void embeddingBackward(Tensor dtable, Tensor dout, Tensor ids);

    // ---------------------------------------------------------------------------------------------- loss

    /**
     * Cross-entropy of softmax(logits) against labels, per row: logits [N, V], labels I32 [N], losses F32 [N]
     * ({@code logsumexp(row) - row[label]}, and 0 where label == ignoreIndex). Finite for logits of any size.
     */
    void crossEntropyForward(Tensor losses, Tensor logits, Tensor labels, int ignoreIndex);

    /**
     * Fused forward and backward: writes losses as {@link #crossEntropyForward} and
     * {@code dlogits = (softmax(logits) - onehot(label)) · lossScale} (zero rows for ignored labels).
     * {@code dlogits} is written, not accumulated, and may be {@code logits} itself to save memory.
     */
    void crossEntropyForwardBackward(Tensor losses, Tensor dlogits, Tensor logits, Tensor labels,
                                     float lossScale, int ignoreIndex);

    // ------------------------------------------------------------------------------------------- optimizer

    /**
     * One AdamW update in place on F32 master weights {@code param} and moments {@code m}, {@code v} from
     * {@code grad} (F32). When {@code paramCopy} is non-null (for example BF16 compute weights) it receives
     * the updated parameter, rounded to its dtype.
     */
    void adamw(Tensor param, Tensor grad, Tensor m, Tensor v, AdamWStep step, Tensor paramCopy);

    /** {@code sqrt(Σ x²)} over all elements of all tensors, accumulated in double; read back to the host. */
    double globalL2Norm(List<Tensor> tensors);

    // --------------------------------------------------------------------------------------- elementwise

    /** {@code x *= s}, in place. */
    void scale(Tensor x, float s);

    /** {@code out = a + b}, elementwise (out may alias a or b). */
    void add(Tensor out, Tensor a, Tensor b);

    /** Waits for all queued work (a no-op on the CPU). */
    default void synchronize() {
    }

    /** Frees the backend's threads, streams and handles. Tensors from its scopes must not be used after. */
    @Override
    void close();
}
