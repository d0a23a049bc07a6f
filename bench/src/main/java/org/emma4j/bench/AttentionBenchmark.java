package org.emma4j.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorScope;
import org.emma4j.kernels.cpu.CpuBackend;
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
 * Causal grouped-query attention on the CPU backend with Llama-3.2-1B heads (Hq = 32, Hkv = 8, D = 64),
 * batch 1, 2 threads: training forward and forward+backward at T = 512 and 2048, and one decoding step
 * (Tq = 1) over a KV cache of T positions. Besides calls/s, JMH prints the secondary rates
 * {@code tokens} (tokens/s: T per training call, 1 per decode step) and {@code gflop} (GFLOP/s, counting
 * causal attention as 2·2·T²/2·D·Hq flops forward and 2.5× that backward, 2·2·T·D·Hq per decode step).
 *
 * <p>Run: {@code ./emma4j bench AttentionBenchmark -f 1 -wi 2 -i 3} (add {@code -p dtype=F32} for one dtype).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 4)
@Fork(1)
@State(Scope.Benchmark)
public class AttentionBenchmark {
    private static final int HEADS = 32;
    private static final int KV_HEADS = 8;
    private static final int HEAD_DIM = 64;
    private static final int THREADS = 2;

    @Param({"512", "2048"})
    public int seqLen;

    @Param({"F32", "BF16"})
    public String dtype;

    private CpuBackend backend;
    private TensorScope scope;
    private Tensor q, k, v, out, lse, dout, dq, dk, dv, q1, out1;
    private float scale;
    private double forwardGflop;

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
        backend = new CpuBackend(THREADS);
        scope = backend.newScope();
        DType type = DType.valueOf(dtype);
        SplittableRandom rnd = new SplittableRandom(42);
        q = random(rnd, type, 1, seqLen, HEADS, HEAD_DIM);
        k = random(rnd, type, 1, seqLen, KV_HEADS, HEAD_DIM);
        v = random(rnd, type, 1, seqLen, KV_HEADS, HEAD_DIM);
        dout = random(rnd, type, 1, seqLen, HEADS, HEAD_DIM);
        out = scope.allocate(type, 1, seqLen, HEADS, HEAD_DIM);
        lse = scope.allocate(DType.F32, 1, HEADS, seqLen);
        dq = scope.zeros(type, 1, seqLen, HEADS, HEAD_DIM);
        dk = scope.zeros(type, 1, seqLen, KV_HEADS, HEAD_DIM);
        dv = scope.zeros(type, 1, seqLen, KV_HEADS, HEAD_DIM);
        q1 = random(rnd, type, 1, 1, HEADS, HEAD_DIM);
        out1 = scope.allocate(type, 1, 1, HEADS, HEAD_DIM);
        scale = (float) (1 / Math.sqrt(HEAD_DIM));
        forwardGflop = 2.0 * 2 * seqLen * (double) seqLen / 2 * HEAD_DIM * HEADS / 1e9;
        backend.attentionForward(out, lse, q, k, v, 0, scale);
    }

    private Tensor random(SplittableRandom rnd, DType type, long... shape) {
        Tensor t = scope.allocate(type, shape);
        float[] x = new float[Math.toIntExact(t.size())];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        backend.fromFloats(t, x);
        return t;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        scope.close();
        backend.close();
    }

    @Benchmark
    public void forward(Rates rates) {
        backend.attentionForward(out, lse, q, k, v, 0, scale);
        rates.tokens += seqLen;
        rates.gflop += forwardGflop;
    }

    @Benchmark
    public void forwardBackward(Rates rates) {
        backend.attentionForward(out, lse, q, k, v, 0, scale);
        backend.attentionBackward(dq, dk, dv, dout, out, lse, q, k, v, 0, scale);
        rates.tokens += seqLen;
        rates.gflop += 3.5 * forwardGflop;
    }

    /** One generated token: a single query per head at the last position of a full cache of seqLen keys. */
    @Benchmark
    public void decodeStep(Rates rates) {
        backend.attentionForward(out1, null, q1, k, v, seqLen - 1, scale);
        rates.tokens += 1;
        rates.gflop += 2.0 * 2 * seqLen * HEAD_DIM * HEADS / 1e9;
    }
}
