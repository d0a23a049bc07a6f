package org.emma4j.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorScope;
import org.emma4j.kernels.cpu.CpuBackend;
import org.emma4j.model.checkpoint.LlamaWeights;
import org.emma4j.model.checkpoint.RandomInit;
import org.emma4j.model.checkpoint.TensorTransfer;
import org.emma4j.model.config.LlamaConfig;
import org.emma4j.model.config.LlamaShapes;
import org.emma4j.model.safetensors.TensorSource;
import org.emma4j.model.train.AdamW;
import org.emma4j.model.train.GlobalBatchStep;
import org.emma4j.model.train.LlamaTraining;
import org.emma4j.model.train.MicroBatch;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Whole training steps (forward, backward, global gradient norm, AdamW) of a GPT-2-small-sized Llama — dim 768,
 * 12 layers, 12 query heads over 4 KV heads, FFN 2048, vocabulary 32000, untied (124.6M parameters, GPT-2 small
 * has 124M) — on every core, micro-batch B = 4 at T = 64 (llm.c's {@code train_gpt2.c} setting) and T = 256, in
 * FP32 and in BF16 (BF16 matmul weights, F32 masters). Besides steps/s, JMH prints the secondary rates
 * {@code tokens} (training tokens/s) and {@code gflop} (GFLOP/s), counting 6 flops per matmul parameter per token
 * (the 100.1M parameters of the layers' projections and the LM head; the embedding lookup is not a matmul) plus
 * causal attention, 6·layers·dim·T per token (PaLM's 12·L·H·Q·T, halved by the causal mask).
 *
 * <p>Reference: llm.c's CPU trainer (fp32, OpenMP, GPT-2 124M, B = 4, T = 64) runs at about 35 tokens/s on
 * this machine's two cores. Run: {@code ./emma4j bench TrainingBenchmark -f 1 -wi 1 -i 2}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 10)
@Measurement(iterations = 2, time = 10)
@Fork(1)
@State(Scope.Benchmark)
public class TrainingBenchmark {
    private static final String SHAPE = "dim=768,layers=12,heads=12,kv-heads=4,ffn=2048,vocab=32000,max-pos=1024";
    private static final int BATCH = 4;

    @Param({"64", "256"})
    public int seqLen;

    @Param({"FP32", "BF16"})
    public String precision;

    private CpuBackend backend;
    private TensorScope params;
    private TensorScope optimizerState;
    private LlamaTraining training;
    private AdamW adam;
    private List<MicroBatch> batch;
    private double gflopPerStep;

    /** Per-thread counters that JMH reports as rates (per second) next to the primary score. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Rates {
        public long tokens;
        public double gflop;

        @Setup(Level.Iteration)
        public void reset() {
            tokens = 0;
            gflop = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        LlamaConfig config = LlamaShapes.resolve(SHAPE).withDType(DType.F32);
        backend = new CpuBackend();
        params = backend.newScope();
        optimizerState = backend.newScope();
        LlamaWeights master = randomMasters(config);
        training = new LlamaTraining(backend, config, master, LlamaTraining.Precision.valueOf(precision), BATCH, seqLen, false);
        adam = new AdamW(backend, optimizerState, master);
        SplittableRandom rnd = new SplittableRandom(7);
        int[] inputs = new int[BATCH * seqLen];
        int[] labels = new int[BATCH * seqLen];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = rnd.nextInt(config.vocabSize());
            labels[i] = rnd.nextInt(config.vocabSize());
        }
        batch = List.of(new MicroBatch(inputs, labels));
        long d = config.hiddenSize();
        long layerMatmul = d * config.queryDim() + 2 * d * config.kvDim() + (long) config.queryDim() * d + 3 * d * config.intermediateSize();
        long matmulParams = config.numHiddenLayers() * layerMatmul + (long) config.vocabSize() * d;
        double flopPerToken = 6.0 * matmulParams + 6.0 * config.numHiddenLayers() * config.queryDim() * seqLen;
        gflopPerStep = flopPerToken * BATCH * seqLen / 1e9;
        System.out.printf("%n%s: %,d parameters (%,d in matmuls), %.1f GFLOP per step of %d tokens; tensors %,d MB%n", SHAPE,
                config.parameterCount(), matmulParams, gflopPerStep, BATCH * seqLen,
                (params.allocatedBytes() + optimizerState.allocatedBytes() + training.allocatedBytes()) >> 20);
    }

    /** normal(0, 0.02) weights and unit norms, as Hugging Face initialises Llama, as F32 masters. */
    private LlamaWeights randomMasters(LlamaConfig config) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        try {
            for (TensorSource s : RandomInit.sources(config, 1, backend.pool())) {
                Tensor dst = params.allocate(DType.F32, s.shape()).named(s.name());
                try (Arena arena = Arena.ofShared()) { // shared: RandomInit fills large tensors from the pool's threads
                    MemorySegment host = arena.allocate(s.byteSize(), 64);
                    s.content().writeTo(host);
                    TensorTransfer.upload(backend, dst, Tensor.ofHost(host, DType.F32, s.shape()));
                }
                tensors.put(s.name(), dst);
            }
            return LlamaWeights.fromTensors(config, tensors, name -> "random initialisation");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Benchmark
    public double step(Rates rates) {
        GlobalBatchStep.Result r = GlobalBatchStep.run(training, adam, batch, 1e-4f, AdamW.Settings.defaults());
        rates.tokens += (long) BATCH * seqLen;
        rates.gflop += gflopPerStep;
        return r.loss();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        training.close();
        optimizerState.close();
        params.close();
        backend.close();
    }
}
