package org.emma4j.bench;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorScope;
import org.emma4j.kernels.cpu.CpuBackend;
import org.emma4j.model.checkpoint.LlamaWeights;
import org.emma4j.model.checkpoint.RandomWeights;
import org.emma4j.model.config.LlamaConfig;
import org.emma4j.model.config.LlamaShapes;
import org.emma4j.model.llama.KvCache;
import org.emma4j.model.llama.LlamaInference;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Prefill and decode of a random model of the Llama 3.2 1B shape (1.24B parameters, vocabulary 128256) on
 * both cores, in BF16 and F32 weights, beside the bound that streaming every weight once per decoded token
 * gives: {@link #streamWeights} reads exactly the weight bytes in the same run, so
 * decode tokens/s ÷ (1 / streamWeights time) is the fraction of the bandwidth bound reached.
 *
 * <p>Reported as seconds per operation: decode is one token at position 64; prefill is 128 prompt tokens
 * from position 0 (tokens/s = 128 / time).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-XX:MaxDirectMemorySize=16g", "-Xmx2g"})
@Warmup(iterations = 2)
@Measurement(iterations = 3)
public class LlamaInferenceBenchmark {
    static final int PREFILL = 128;
    static final int DECODE_POSITION = 64;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    @Param({"BF16", "F32"})
    public String dtype;

    @Param({"llama3.2-1b"})
    public String shape;

    private CpuBackend backend;
    private TensorScope scope;
    private LlamaInference inference;
    private KvCache cache;
    private LlamaWeights weights;
    private int[] prompt;

    @Setup(Level.Trial)
    public void setUp() {
        backend = new CpuBackend();
        scope = backend.newScope();
        LlamaConfig config = LlamaShapes.resolve(shape).withDType(DType.valueOf(dtype));
        weights = RandomWeights.create(config, 1234, backend, scope, backend.pool());
        inference = new LlamaInference(backend, config, weights, 512, PREFILL);
        cache = inference.newCache(scope, DType.F32, 512);
        prompt = new int[PREFILL];
        for (int i = 0; i < PREFILL; i++) {
            prompt[i] = (i * 7919) % config.vocabSize();
        }
        inference.forward(prompt, cache, false);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        inference.close();
        scope.close();
        backend.close();
    }

    @Benchmark
    public Tensor decodeOneToken() {
        cache.truncate(DECODE_POSITION);
        return inference.forward(new int[] {42}, cache, false);
    }

    @Benchmark
    public Tensor prefill128() {
        cache.truncate(0);
        return inference.forward(prompt, cache, false);
    }

    /** Reads every weight byte once (both cores), the decode bound: a token must stream all weights. */
    @Benchmark
    public void streamWeights(Blackhole bh) {
        for (Tensor t : weights.byName().values()) {
            MemorySegment seg = t.segment();
            long bytes = seg.byteSize();
            long perTask = Math.max(1 << 20, bytes / (2L * backend.pool().threads()));
            int tasks = (int) ((bytes + perTask - 1) / perTask);
            float[] partial = new float[tasks];
            backend.pool().parallelFor(tasks, k -> {
                long start = k * perTask;
                long end = Math.min(bytes, start + perTask);
                FloatVector acc = FloatVector.zero(F);
                long step = F.vectorByteSize();
                long i = start;
                for (; i + step <= end; i += step) {
                    acc = acc.add(FloatVector.fromMemorySegment(F, seg, i, java.nio.ByteOrder.LITTLE_ENDIAN));
                }
                partial[k] = acc.reduceLanes(VectorOperators.ADD);
            });
            bh.consume(partial);
        }
    }
}
