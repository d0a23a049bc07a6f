package org.emma4j.bench.gpu;

import java.util.List;
import java.util.SplittableRandom;
import org.emma4j.kernels.Backend;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorScope;
import org.emma4j.kernels.cpu.CpuPool;
import org.emma4j.model.checkpoint.LlamaWeights;
import org.emma4j.model.checkpoint.RandomWeights;
import org.emma4j.model.config.LlamaConfig;
import org.emma4j.model.config.LlamaShapes;
import org.emma4j.model.llama.KvCache;
import org.emma4j.model.llama.LlamaInference;
import org.emma4j.model.train.AdamW;
import org.emma4j.model.train.LlamaTraining;

/** One training step of an 8B-shaped layer stack and 1B-shaped decoding, on random weights. */
final class ModelTimings {
    private ModelTimings() {
    }

    /** {@code c} with another number of layers and another weight dtype. */
    static LlamaConfig reshaped(LlamaConfig c, int layers, DType dtype) {
        return new LlamaConfig(c.hiddenSize(), layers, c.numAttentionHeads(), c.numKeyValueHeads(), c.headDim(), c.intermediateSize(),
                c.vocabSize(), c.rmsNormEps(), c.ropeTheta(), c.ropeScaling(), c.maxPositionEmbeddings(), c.tieWordEmbeddings(),
                c.bosTokenId(), c.eosTokenIds(), c.padTokenId(), dtype, c.initializerRange());
    }

    /**
     * Forward, backward and AdamW of {@code layers} layers of a named shape (llama3-8b: 4096 wide, 32/8 heads,
     * 14336 FFN, 128256 vocabulary) and its head, one sequence of {@code seq} tokens, BF16 compute weights over F32 masters.
     * Model FLOPs: 6 per parameter of every matmul per token, plus causal attention's 12·heads·headDim·T(T+1)/2 per layer.
     */
    static List<GpuRow> trainStep(Backend b, CpuPool pool, String shape, int layers, int seq, double peakTflops, String mode) {
        LlamaConfig c = reshaped(LlamaShapes.resolve(shape), layers, DType.F32);
        try (TensorScope scope = b.newScope()) {
            long t0 = System.nanoTime();
            LlamaWeights master = RandomWeights.create(c, 1, b, scope, pool);
            double init = (System.nanoTime() - t0) / 1e9;
            try (LlamaTraining training = new LlamaTraining(b, c, master, LlamaTraining.Precision.BF16, 1, seq, false)) {
                AdamW optimizer = new AdamW(b, scope, master);
                SplittableRandom rnd = new SplittableRandom(3);
                int[] inputs = new int[seq];
                int[] targets = new int[seq];
                for (int i = 0; i < seq; i++) {
                    inputs[i] = rnd.nextInt(c.vocabSize());
                    targets[i] = rnd.nextInt(c.vocabSize());
                }
                double[] loss = new double[1];
                double s = Timer.seconds(b, 1, 3, () -> {
                    training.zeroGradients();
                    loss[0] = training.forwardBackward(inputs, targets, 1f / seq).mean();
                    optimizer.step(master, training.gradients(), training.computeWeights(), 1e-5f, AdamW.Settings.defaults());
                });
                long d = c.hiddenSize();
                long perLayer = d * c.queryDim() * 2L + 2L * d * c.kvDim() + 3L * d * c.intermediateSize();
                double matmulParams = (double) layers * perLayer + (double) c.vocabSize() * d;
                double attention = 12.0 * c.numAttentionHeads() * c.headDim() * seq * (seq + 1) / 2.0 * layers;
                double tflops = (6 * matmulParams * seq + attention) / s / 1e12;
                return List.of(new GpuRow("train step: " + layers + " " + shape + " layers + head, T=" + seq + ", " + mode,
                        String.format("%.0f ms, %.0f tok/s, %.0f TFLOP/s", s * 1e3, seq / s, tflops),
                        String.format("MFU %.1f%% of %.0f (target 40%%); loss %.3f; init %.0f s", 100 * tflops / peakTflops, peakTflops,
                                loss[0], init)));
            }
        }
    }

    /**
     * Greedy decoding of a named shape (llama3.2-1b for the check) with BF16 weights and a BF16 KV cache: a {@code prompt}-token
     * prefill, then {@code steps} single-token steps, each reading the logits back as the generator does. The
     * bound is reading every weight once per token at the card's HBM bandwidth.
     */
    static List<GpuRow> decode(Backend b, CpuPool pool, String shape, int prompt, int steps, double hbmTbps) {
        LlamaConfig c = LlamaShapes.resolve(shape);
        try (TensorScope scope = b.newScope()) {
            LlamaWeights w = RandomWeights.create(c, 2, b, scope, pool);
            int capacity = prompt + steps + 8;
            try (LlamaInference inference = new LlamaInference(b, c, w, capacity, 128)) {
                KvCache cache = inference.newCache(scope, DType.BF16, capacity);
                SplittableRandom rnd = new SplittableRandom(4);
                for (int done = 0; done < prompt; ) {
                    int[] chunk = new int[Math.min(128, prompt - done)];
                    for (int i = 0; i < chunk.length; i++) {
                        chunk[i] = rnd.nextInt(c.vocabSize());
                    }
                    inference.forward(chunk, cache, false);
                    done += chunk.length;
                }
                b.synchronize();
                int[] token = {rnd.nextInt(c.vocabSize())};
                long t0 = System.nanoTime();
                for (int i = 0; i < steps; i++) {
                    Tensor logits = inference.forward(token, cache, false);
                    float[] f = b.toFloats(logits);
                    token[0] = argmax(f);
                }
                double perToken = (System.nanoTime() - t0) / 1e9 / steps;
                double weightBytes = w.parameterCount() * 2.0;
                double bound = hbmTbps * 1e12 / weightBytes;
                return List.of(new GpuRow("decode " + shape + " shape, bf16, after " + prompt + " tokens",
                        String.format("%.0f tok/s (%.2f ms/token)", 1 / perToken, perToken * 1e3),
                        String.format("%.0f%% of the %.0f tok/s HBM bound (target 70%%)", 100 / perToken / bound, bound)));
            }
        }
    }

    private static int argmax(float[] x) {
        int best = 0;
        for (int i = 1; i < x.length; i++) {
            if (x[i] > x[best]) {
                best = i;
            }
        }
        return best;
    }
}
