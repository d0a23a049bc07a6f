package org.emma4j.model.train;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.emma4j.kernels.Backend;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorScope;
import org.emma4j.model.checkpoint.LlamaLayerWeights;
import org.emma4j.model.checkpoint.LlamaWeights;
import org.emma4j.model.config.LlamaConfig;

/**
 * The Llama 3 forward and backward passes for training, in llm.c's shape: {@link #layerForward} and
 * {@link #layerBackward} are an explicit pair, the activations each layer keeps are named in
 * {@link LayerActivations}, and gradients live in tensors shaped like the weights.
 *
 * <p>One call of {@link #forwardBackward} takes a micro-batch of B sequences of T tokens, returns the summed
 * next-token cross-entropy of its labelled positions and adds {@code lossScale ·} its gradient into
 * {@link #gradients()}. With {@code lossScale = 1 / (labelled tokens in the whole global batch)} the
 * accumulated gradient is that of the mean loss over all labelled tokens of the global batch (not a mean of
 * per-sequence or per-micro-batch means).
 *
 * <p>Precision: master weights are always F32 (owned by the caller, updated by {@link AdamW}). In
 * {@link Precision#BF16} mode the matmuls read BF16 copies of the weights, refreshed by the optimizer step;
 * activations and gradients stay F32.
 */
public final class LlamaTraining implements AutoCloseable {

    /** Label value of positions that take no part in the loss (padding, masked spans), as in Hugging Face. */
    public static final int IGNORE_INDEX = -100;

    /** Arithmetic of the matmuls: FP32 everywhere, or BF16 weights with F32 accumulation and F32 masters. */
    public enum Precision { FP32, BF16 }

    /** Sum of token losses and how many tokens were labelled. */
    public record LossSum(double sum, long tokens) {
        public double mean() {
            return tokens == 0 ? Double.NaN : sum / tokens;
        }
    }

    private final Backend backend;
    private final LlamaConfig config;
    private final LlamaWeights master;
    private final LlamaWeights compute;
    private final LlamaWeights grads;
    private final int batch;
    private final int seqLen;
    private final boolean recompute;
    private final TensorScope scope;
    private final Arena hostArena = Arena.ofShared();
    private final MemorySegment hostIds;
    private final MemorySegment hostLabels;

    private final Tensor cosSin;
    private final Tensor ids;
    private final Tensor labels;
    private final List<LayerActivations> acts;
    private final List<Tensor> layerInputs;
    private final Tensor finalResidual;
    private final Tensor rstdFinal;
    private final Tensor normFinal;
    private final Tensor losses;
    private final Tensor logits;
    private final int logitRows;
    // Backward scratch, shared by all layers.
    private final Tensor dx;
    private final Tensor dNorm;
    private final Tensor dAttn;
    private final Tensor dq;
    private final Tensor dk;
    private final Tensor dv;
    private final Tensor dAct;
    private final Tensor dGate;
    private final Tensor dUp;
    private final Tensor projection;

    /**
     * @param master    F32 master weights in {@code backend}'s memory (the caller owns them)
     * @param recompute keep only each layer's input and recompute the rest during backward (less memory)
     */
    public LlamaTraining(Backend backend, LlamaConfig config, LlamaWeights master, Precision precision, int batch, int seqLen,
                         boolean recompute) {
        if (batch <= 0 || seqLen <= 0) {
            throw new IllegalArgumentException("micro-batch and sequence length must be positive, found " + batch + " and " + seqLen);
        }
        for (Tensor t : master.byName().values()) {
            if (t.dtype() != DType.F32) {
                throw new IllegalArgumentException("master weight " + t.name() + " must be F32, found " + t.dtype());
            }
        }
        this.backend = backend;
        this.config = config;
        this.master = master;
        this.batch = batch;
        this.seqLen = seqLen;
        this.recompute = recompute;
        this.scope = backend.newScope();
        if (precision == Precision.BF16) {
            this.compute = ParameterTensors.allocateLike(master, scope, DType.BF16, "");
            syncComputeWeights();
        } else {
            this.compute = master;
        }
        this.grads = ParameterTensors.allocateLike(master, scope, DType.F32, ".grad");
        long n = (long) batch * seqLen;
        int d = config.hiddenSize();
        this.cosSin = scope.allocate(DType.F32, 2, seqLen, config.headDim() / 2).named("rope.cos_sin");
        backend.fromFloats(cosSin, config.ropeFrequencies().cosSinTable(seqLen));
        this.ids = scope.allocate(DType.I32, n).named("input_ids");
        this.labels = scope.allocate(DType.I32, n).named("labels");
        this.hostIds = hostArena.allocate(4 * n, 64);
        this.hostLabels = hostArena.allocate(4 * n, 64);

        this.layerInputs = new ArrayList<>();
        this.acts = new ArrayList<>();
        int layers = config.numHiddenLayers();
        for (int l = 0; l < layers; l++) {
            layerInputs.add(scope.allocate(DType.F32, n, d).named("layer" + l + ".input"));
        }
        if (recompute) {
            acts.add(LayerActivations.allocate(scope, config, batch, seqLen, layerInputs.getFirst()));
        } else {
            for (int l = 0; l < layers; l++) {
                acts.add(LayerActivations.allocate(scope, config, batch, seqLen, layerInputs.get(l)));
            }
        }
        this.finalResidual = scope.allocate(DType.F32, n, d).named("final.residual");
        this.rstdFinal = scope.allocate(DType.F32, n).named("final.rstd");
        this.normFinal = scope.allocate(DType.F32, n, d).named("final.normed");
        this.losses = scope.allocate(DType.F32, n).named("losses");
        // The LM head and the loss run over row chunks so that [rows, vocab] logits stay small (≤ 16M floats).
        this.logitRows = (int) Math.max(1, Math.min(n, (16L << 20) / config.vocabSize()));
        this.logits = scope.allocate(DType.F32, logitRows, config.vocabSize()).named("logits");

        this.dx = scope.allocate(DType.F32, n, d).named("d_residual");
        this.dNorm = scope.allocate(DType.F32, n, d).named("d_normed");
        this.dAttn = scope.allocate(DType.F32, n, config.queryDim()).named("d_attention_out");
        this.dq = scope.allocate(DType.F32, n, config.queryDim()).named("d_q");
        this.dk = scope.allocate(DType.F32, n, config.kvDim()).named("d_k");
        this.dv = scope.allocate(DType.F32, n, config.kvDim()).named("d_v");
        this.dAct = scope.allocate(DType.F32, n, config.intermediateSize()).named("d_act");
        this.dGate = scope.allocate(DType.F32, n, config.intermediateSize()).named("d_gate");
        this.dUp = scope.allocate(DType.F32, n, config.intermediateSize()).named("d_up");
        this.projection = scope.allocate(DType.F32, n, d).named("projection");
    }

    public LlamaConfig config() {
        return config;
    }

    public Backend backend() {
        return backend;
    }

    /** The F32 master weights (the caller's). */
    public LlamaWeights master() {
        return master;
    }

    /** The weights the matmuls read: the masters in FP32 mode, BF16 copies in BF16 mode. */
    public LlamaWeights computeWeights() {
        return compute;
    }

    /** The accumulated gradients, F32, shaped like the weights (a tied head shares the embedding's). */
    public LlamaWeights gradients() {
        return grads;
    }

    public int microBatch() {
        return batch;
    }

    public int seqLen() {
        return seqLen;
    }

    /** Bytes this object allocated: gradients, compute copies, activations and scratch. */
    public long allocatedBytes() {
        return scope.allocatedBytes();
    }

    /** Sets every gradient to zero (before the first micro-batch of a step). */
    public void zeroGradients() {
        for (Tensor g : ParameterTensors.list(grads)) {
            backend.fill(g, 0f);
        }
    }

    /** Copies the masters into the BF16 compute weights (no-op in FP32 mode). */
    public void syncComputeWeights() {
        if (compute == master) {
            return;
        }
        List<Tensor> src = ParameterTensors.list(master);
        List<Tensor> dst = ParameterTensors.list(compute);
        for (int i = 0; i < src.size(); i++) {
            backend.copy(dst.get(i), src.get(i));
        }
    }

    /**
     * Forward and backward of one micro-batch. {@code inputs} and {@code labels} are [B·T] row-major; a label
     * is the next token or {@link #IGNORE_INDEX}. Gradients of {@code lossScale · Σ losses} are added into
     * {@link #gradients()}.
     */
    public LossSum forwardBackward(int[] inputs, int[] targets, float lossScale) {
        forward(inputs, targets);
        LossSum loss = lossAndHeadBackward(targets, lossScale, true);
        backend.fill(dx, 0f);
        backend.rmsNormBackward(dx, grads.norm(), dNorm, finalResidual, compute.norm(), rstdFinal);
        for (int l = config.numHiddenLayers() - 1; l >= 0; l--) {
            LayerActivations a = activations(l);
            if (recompute) {
                layerForward(l, a, l + 1 < config.numHiddenLayers() ? layerInputs.get(l + 1) : finalResidual);
            }
            layerBackward(l, a);
        }
        backend.embeddingBackward(grads.embedTokens(), dx, ids);
        return loss;
    }

    /** Forward only: the summed loss of the labelled positions (held-out evaluation). */
    public LossSum loss(int[] inputs, int[] targets) {
        forward(inputs, targets);
        return lossAndHeadBackward(targets, 0f, false);
    }

    private LayerActivations activations(int l) {
        return recompute ? acts.getFirst().withInput(layerInputs.get(l)) : acts.get(l);
    }

    private void forward(int[] inputs, int[] targets) {
        long n = (long) batch * seqLen;
        if (inputs.length != n || targets.length != n) {
            throw new IllegalArgumentException("a micro-batch holds " + batch + "×" + seqLen + " = " + n + " positions; got "
                    + inputs.length + " inputs and " + targets.length + " labels");
        }
        for (int i = 0; i < n; i++) {
            if (inputs[i] < 0 || inputs[i] >= config.vocabSize()) {
                throw new IllegalArgumentException("input token " + inputs[i] + " at row " + (i / seqLen) + ", position " + (i % seqLen)
                        + " is outside the vocabulary [0, " + config.vocabSize() + ")");
            }
            if (targets[i] != IGNORE_INDEX && (targets[i] < 0 || targets[i] >= config.vocabSize())) {
                throw new IllegalArgumentException("label " + targets[i] + " at row " + (i / seqLen) + ", position " + (i % seqLen)
                        + " is outside the vocabulary and is not the ignore label " + IGNORE_INDEX);
            }
            hostIds.setAtIndex(ValueLayout.JAVA_INT, i, inputs[i]);
            hostLabels.setAtIndex(ValueLayout.JAVA_INT, i, targets[i]);
        }
        backend.upload(ids, hostIds);
        backend.upload(labels, hostLabels);
        backend.embeddingForward(layerInputs.getFirst(), ids, compute.embedTokens());
        for (int l = 0; l < config.numHiddenLayers(); l++) {
            Tensor out = l + 1 < config.numHiddenLayers() ? layerInputs.get(l + 1) : finalResidual;
            layerForward(l, activations(l), out);
        }
        backend.rmsNormForward(normFinal, rstdFinal, finalResidual, compute.norm(), (float) config.rmsNormEps());
    }

    /**
     * The LM head and the loss, in row chunks; with {@code backward}, dlogits overwrite the logits in place,
     * the LM head's weight gradient accumulates and {@link #dNorm} receives the gradient of the final norm's output.
     */
    private LossSum lossAndHeadBackward(int[] targets, float lossScale, boolean backward) {
        long n = (long) batch * seqLen;
        Tensor head = compute.lmHead();
        for (long start = 0; start < n; start += logitRows) {
            long end = Math.min(n, start + logitRows);
            Tensor h = normFinal.slice(start, end);
            Tensor z = logits.slice(0, end - start);
            Tensor y = labels.slice(start, end);
            Tensor lossRows = losses.slice(start, end);
            backend.linear(z, h, head);
            if (backward) {
                backend.crossEntropyForwardBackward(lossRows, z, z, y, lossScale, IGNORE_INDEX);
                backend.matmul(dNorm.slice(start, end), z, false, head, false, 1f, 0f);
                backend.linearBackwardWeight(grads.lmHead(), z, h);
            } else {
                backend.crossEntropyForward(lossRows, z, y, IGNORE_INDEX);
            }
        }
        float[] perToken = backend.toFloats(losses);
        double sum = 0;
        long count = 0;
        for (int i = 0; i < perToken.length; i++) {
            if (targets[i] != IGNORE_INDEX) {
                sum += perToken[i];
                count++;
            }
        }
        return new LossSum(sum, count);
    }

    /** One decoder layer forward: {@code out = mid + mlp(norm(mid))}, {@code mid = in + attn(norm(in))}. */
    private void layerForward(int l, LayerActivations a, Tensor out) {
        LlamaLayerWeights w = compute.layers().get(l);
        float eps = (float) config.rmsNormEps();
        backend.rmsNormForward(a.normAttn(), a.rstdAttn(), a.input(), w.inputLayernorm(), eps);
        backend.linear(a.q(), a.normAttn(), w.qProj());
        backend.linear(a.k(), a.normAttn(), w.kProj());
        backend.linear(a.v(), a.normAttn(), w.vProj());
        backend.ropeForward(heads(a.q(), config.numAttentionHeads()), cosSin, 0);
        backend.ropeForward(heads(a.k(), config.numKeyValueHeads()), cosSin, 0);
        backend.attentionForward(heads(a.attn(), config.numAttentionHeads()), a.lse(), heads(a.q(), config.numAttentionHeads()),
                heads(a.k(), config.numKeyValueHeads()), heads(a.v(), config.numKeyValueHeads()), 0, config.attentionScale());
        backend.linear(projection, a.attn(), w.oProj());
        backend.add(a.mid(), a.input(), projection);
        backend.rmsNormForward(a.normMlp(), a.rstdMlp(), a.mid(), w.postAttentionLayernorm(), eps);
        backend.linear(a.gate(), a.normMlp(), w.gateProj());
        backend.linear(a.up(), a.normMlp(), w.upProj());
        backend.swigluForward(a.act(), a.gate(), a.up());
        backend.linear(projection, a.act(), w.downProj());
        backend.add(out, a.mid(), projection);
    }

    /**
     * One decoder layer backward. On entry {@link #dx} holds the gradient of the layer's output; on exit, of its
     * input (the residual paths make this an accumulation into the same buffer). Weight gradients accumulate.
     */
    private void layerBackward(int l, LayerActivations a) {
        LlamaLayerWeights w = compute.layers().get(l);
        LlamaLayerWeights g = grads.layers().get(l);
        // MLP: out = mid + down(silu(gate)·up), gate/up = normMlp · Wᵀ.
        backend.matmul(dAct, dx, false, w.downProj(), false, 1f, 0f);
        backend.linearBackwardWeight(g.downProj(), dx, a.act());
        backend.fill(dGate, 0f);
        backend.fill(dUp, 0f);
        backend.swigluBackward(dGate, dUp, dAct, a.gate(), a.up());
        backend.matmul(dNorm, dGate, false, w.gateProj(), false, 1f, 0f);
        backend.linearBackwardInput(dNorm, dUp, w.upProj());
        backend.linearBackwardWeight(g.gateProj(), dGate, a.normMlp());
        backend.linearBackwardWeight(g.upProj(), dUp, a.normMlp());
        backend.rmsNormBackward(dx, g.postAttentionLayernorm(), dNorm, a.mid(), w.postAttentionLayernorm(), a.rstdMlp());
        // Attention: mid = in + o(attention(rope(q), rope(k), v)), q/k/v = normAttn · Wᵀ.
        backend.matmul(dAttn, dx, false, w.oProj(), false, 1f, 0f);
        backend.linearBackwardWeight(g.oProj(), dx, a.attn());
        backend.fill(dq, 0f);
        backend.fill(dk, 0f);
        backend.fill(dv, 0f);
        int hq = config.numAttentionHeads();
        int hkv = config.numKeyValueHeads();
        backend.attentionBackward(heads(dq, hq), heads(dk, hkv), heads(dv, hkv), heads(dAttn, hq), heads(a.attn(), hq), a.lse(),
                heads(a.q(), hq), heads(a.k(), hkv), heads(a.v(), hkv), 0, config.attentionScale());
        backend.ropeBackward(heads(dq, hq), cosSin, 0);
        backend.ropeBackward(heads(dk, hkv), cosSin, 0);
        backend.matmul(dNorm, dq, false, w.qProj(), false, 1f, 0f);
        backend.linearBackwardInput(dNorm, dk, w.kProj());
        backend.linearBackwardInput(dNorm, dv, w.vProj());
        backend.linearBackwardWeight(g.qProj(), dq, a.normAttn());
        backend.linearBackwardWeight(g.kProj(), dk, a.normAttn());
        backend.linearBackwardWeight(g.vProj(), dv, a.normAttn());
        backend.rmsNormBackward(dx, g.inputLayernorm(), dNorm, a.input(), w.inputLayernorm(), a.rstdAttn());
    }

    /** [B·T, H·hd] seen as [B, T, H, hd]. */
    private Tensor heads(Tensor t, int heads) {
        return t.view(batch, seqLen, heads, config.headDim());
    }

    @Override
    public void close() {
        scope.close();
        hostArena.close();
    }
}
