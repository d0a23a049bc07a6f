package org.emma4j.model.llama;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.emma4j.kernels.Backend;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorScope;
import org.emma4j.model.checkpoint.LlamaLayerWeights;
import org.emma4j.model.checkpoint.LlamaWeights;
import org.emma4j.model.config.LlamaConfig;

/**
 * The Llama 3 forward pass for inference, read top to bottom in {@link #forward}: embedding, then per layer
 * RMSNorm → q/k/v projections (k and v written straight into the KV cache) → RoPE → causal grouped-query
 * attention over the cache → output projection → residual, RMSNorm → SwiGLU MLP → residual; finally RMSNorm
 * and the LM head. A prompt is prefilled in chunks of up to {@code maxChunk} tokens, each chunk a set of
 * GEMMs; decoding is the same code with one token. The backend decides where it runs.
 *
 * <p>Scratch activations are allocated once, for {@code maxChunk} rows, in this object's own scope; the
 * weights and the caches belong to the caller.
 */
public final class LlamaInference implements AutoCloseable {
    private final Backend backend;
    private final LlamaConfig config;
    private final LlamaWeights weights;
    private final int maxChunk;
    private final TensorScope scratch;
    private final Tensor cosSin;
    // Activations for up to maxChunk tokens: x is the residual stream, the rest are per-layer temporaries.
    private final Tensor ids;
    private final Tensor x;
    private final Tensor normed;
    private final Tensor q;
    private final Tensor attn;
    private final Tensor proj;
    private final Tensor gate;
    private final Tensor up;
    private final Tensor logits;
    private final MemorySegment hostIds;
    private final Arena hostArena = Arena.ofShared();

    /**
     * @param maxPositions the longest sequence any cache used with this object will hold (sizes the RoPE table)
     * @param maxChunk     the most tokens one {@link #forward} call takes (prefill chunk size)
     */
    public LlamaInference(Backend backend, LlamaConfig config, LlamaWeights weights, int maxPositions, int maxChunk) {
        if (maxChunk <= 0 || maxPositions <= 0) {
            throw new IllegalArgumentException("maxChunk and maxPositions must be positive, found " + maxChunk + " and " + maxPositions);
        }
        for (Tensor t : weights.byName().values()) {
            if (t.dtype() != DType.F32 && t.dtype() != DType.BF16) {
                throw new IllegalArgumentException("weight " + t.name() + " is " + t.dtype()
                        + "; inference needs F32 or BF16 weights (convert with LlamaCheckpoint.copyTo)");
            }
        }
        this.backend = backend;
        this.config = config;
        this.weights = weights;
        this.maxChunk = maxChunk;
        this.scratch = backend.newScope();
        int d = config.hiddenSize();
        this.cosSin = scratch.allocate(DType.F32, 2, maxPositions, config.headDim() / 2).named("rope.cos_sin");
        backend.fromFloats(cosSin, config.ropeFrequencies().cosSinTable(maxPositions));
        this.ids = scratch.allocate(DType.I32, maxChunk).named("input_ids");
        this.x = scratch.allocate(DType.F32, maxChunk, d).named("residual");
        this.normed = scratch.allocate(DType.F32, maxChunk, d).named("normed");
        this.q = scratch.allocate(DType.F32, maxChunk, config.queryDim()).named("q");
        this.attn = scratch.allocate(DType.F32, maxChunk, config.queryDim()).named("attention_out");
        this.proj = scratch.allocate(DType.F32, maxChunk, d).named("projection");
        this.gate = scratch.allocate(DType.F32, maxChunk, config.intermediateSize()).named("mlp_gate");
        this.up = scratch.allocate(DType.F32, maxChunk, config.intermediateSize()).named("mlp_up");
        this.logits = scratch.allocate(DType.F32, maxChunk, config.vocabSize()).named("logits");
        this.hostIds = hostArena.allocate(4L * maxChunk, 64);
    }

    public LlamaConfig config() {
        return config;
    }

    public Backend backend() {
        return backend;
    }

    public int maxChunk() {
        return maxChunk;
    }

    /** The longest sequence the RoPE table covers. */
    public int maxPositions() {
        return (int) cosSin.dim(1);
    }

    /** A new KV cache for one sequence of up to {@code capacity} tokens, in {@code scope}. */
    public KvCache newCache(TensorScope scope, DType dtype, int capacity) {
        if (capacity > maxPositions()) {
            throw new IllegalArgumentException("KV cache capacity " + capacity + " exceeds the " + maxPositions()
                    + " positions this inference object was built for");
        }
        return new KvCache(config, scope, dtype, capacity);
    }

    /**
     * Runs {@code tokens} (at most {@link #maxChunk()}) at the cache's next positions, appends their keys and
     * values to the cache, and returns the logits: [tokens, vocab] when {@code allLogits}, else [1, vocab] for
     * the last token. The returned tensor is scratch, overwritten by the next call.
     */
    public Tensor forward(int[] tokens, KvCache cache, boolean allLogits) {
        int t = tokens.length;
        int pos0 = cache.length();
        if (t == 0 || t > maxChunk) {
            throw new IllegalArgumentException("forward takes 1.." + maxChunk + " tokens per call, got " + t);
        }
        if (pos0 + t > cache.capacity()) {
            throw new IllegalArgumentException("sequence of " + (pos0 + t) + " tokens exceeds the KV cache capacity " + cache.capacity());
        }
        for (int i = 0; i < t; i++) {
            if (tokens[i] < 0 || tokens[i] >= config.vocabSize()) {
                throw new IllegalArgumentException("token id " + tokens[i] + " at position " + (pos0 + i)
                        + " is outside the vocabulary [0, " + config.vocabSize() + ")");
            }
            hostIds.setAtIndex(ValueLayout.JAVA_INT, i, tokens[i]);
        }
        int heads = config.numAttentionHeads();
        int kvHeads = config.numKeyValueHeads();
        int hd = config.headDim();
        float eps = (float) config.rmsNormEps();
        Tensor tokenIds = ids.slice(0, t);
        Tensor x = this.x.slice(0, t);
        Tensor h = normed.slice(0, t);
        Tensor q = this.q.slice(0, t);
        Tensor att = attn.slice(0, t);
        Tensor o = proj.slice(0, t);
        Tensor g = gate.slice(0, t);
        Tensor u = up.slice(0, t);
        backend.upload(tokenIds, hostIds);

        backend.embeddingForward(x, tokenIds, weights.embedTokens());
        for (int l = 0; l < config.numHiddenLayers(); l++) {
            LlamaLayerWeights w = weights.layers().get(l);
            // Attention block: the new keys and values land directly in their cache rows.
            backend.rmsNormForward(h, null, x, w.inputLayernorm(), eps);
            Tensor k = cache.keys(l).slice(pos0, pos0 + t).view(t, (long) kvHeads * hd);
            Tensor v = cache.values(l).slice(pos0, pos0 + t).view(t, (long) kvHeads * hd);
            backend.linear(q, h, w.qProj());
            backend.linear(k, h, w.kProj());
            backend.linear(v, h, w.vProj());
            backend.ropeForward(q.view(1, t, heads, hd), cosSin, pos0);
            backend.ropeForward(k.view(1, t, kvHeads, hd), cosSin, pos0);
            Tensor keys = cache.keys(l).slice(0, pos0 + t);
            Tensor values = cache.values(l).slice(0, pos0 + t);
            backend.attentionForward(att.view(1, t, heads, hd), null, q.view(1, t, heads, hd),
                    keys.view(1, pos0 + t, kvHeads, hd), values.view(1, pos0 + t, kvHeads, hd), pos0, config.attentionScale());
            backend.linear(o, att, w.oProj());
            backend.add(x, x, o);
            // MLP block: down(silu(gate(h)) · up(h)).
            backend.rmsNormForward(h, null, x, w.postAttentionLayernorm(), eps);
            backend.linear(g, h, w.gateProj());
            backend.linear(u, h, w.upProj());
            backend.swigluForward(g, g, u);
            backend.linear(o, g, w.downProj());
            backend.add(x, x, o);
        }
        cache.advance(t);
        Tensor last = allLogits ? x : x.slice(t - 1, t);
        Tensor hf = h.slice(0, last.dim(0));
        backend.rmsNormForward(hf, null, last, weights.norm(), eps);
        Tensor out = logits.slice(0, last.dim(0));
        backend.linear(out, hf, weights.lmHead());
        return out;
    }

    /**
     * Runs a whole prompt (any length up to the cache capacity) in chunks and returns the last token's
     * logits as floats on the host.
     */
    public float[] prefill(int[] tokens, KvCache cache) {
        Tensor last = null;
        for (int start = 0; start < tokens.length; start += maxChunk) {
            int end = Math.min(tokens.length, start + maxChunk);
            last = forward(java.util.Arrays.copyOfRange(tokens, start, end), cache, false);
        }
        if (last == null) {
            throw new IllegalArgumentException("prefill needs at least one token");
        }
        return backend.toFloats(last);
    }

    @Override
    public void close() {
        scratch.close();
        hostArena.close();
    }
}
