package org.emma4j.bench;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.DoubleAdder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorScope;
import org.emma4j.kernels.cpu.CpuBackend;
import org.emma4j.kernels.cpu.CpuPool;
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
 * Batch-1 decode through a linear layer, {@code y[1, 8192] = x[1, 2048] · W[8192, 2048]ᵀ}, with W in F32 or BF16:
 * memory-bound, so it is measured in GB/s of W read ({@code gbyte}, a secondary rate) beside the ceiling of a
 * Vector API streaming sum over the same bytes on the same thread count ({@code streamRead}). Each call uses
 * the next of several copies of W, 1 GiB in all, so W comes from DRAM as a model's weights would, not from the
 * last-level cache.
 *
 * <p>Run: {@code ./emma4j bench GemvBenchmark}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class GemvBenchmark {
    private static final int OUT = 8192;
    private static final int IN = 2048;
    private static final long WORKING_SET_BYTES = 1L << 30;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    @Param({"F32", "BF16"})
    public String dtype;

    @Param({"1", "2"})
    public int threads;

    private CpuBackend backend;
    private CpuPool streamPool;
    private TensorScope scope;
    private Tensor[] weights;
    private Tensor x;
    private Tensor y;
    private int next;
    private double gbPerCall;

    /** JMH reports this per-thread counter as a rate: GB of W read per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Rates {
        public double gbyte;

        @Setup(Level.Iteration)
        public void reset() {
            gbyte = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        backend = new CpuBackend(threads);
        streamPool = new CpuPool(threads);
        scope = backend.newScope();
        DType type = DType.valueOf(dtype);
        long bytes = (long) OUT * IN * type.byteSize();
        weights = new Tensor[(int) Math.max(2, WORKING_SET_BYTES / bytes)];
        SplittableRandom rnd = new SplittableRandom(42);
        float[] values = new float[OUT * IN];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (rnd.nextDouble() - 0.5);
        }
        for (int i = 0; i < weights.length; i++) {
            weights[i] = scope.allocate(type, OUT, IN);
            backend.fromFloats(weights[i], values);
        }
        x = scope.allocate(DType.F32, 1, IN);
        backend.fromFloats(x, java.util.Arrays.copyOf(values, IN));
        y = scope.allocate(DType.F32, 1, OUT);
        gbPerCall = bytes / 1e9;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        scope.close();
        streamPool.close();
        backend.close();
    }

    private Tensor nextWeight() {
        Tensor w = weights[next];
        next = (next + 1) % weights.length;
        return w;
    }

    @Benchmark
    public Tensor emma4j(Rates rates) {
        backend.matmul(y, x, false, nextWeight(), true, 1f, 0f);
        rates.gbyte += gbPerCall;
        return y;
    }

    /** The bandwidth ceiling: sum the same bytes, read as floats, split over the same number of threads. */
    @Benchmark
    public double streamRead(Rates rates) {
        MemorySegment seg = nextWeight().segment();
        long floats = seg.byteSize() / 4;
        DoubleAdder total = new DoubleAdder();
        streamPool.parallelRanges(floats / F.length(), 4096, (start, end) -> total.add(sum(seg, start * F.length(), end * F.length())));
        rates.gbyte += gbPerCall;
        return total.sum();
    }

    /** Σ of floats [from, to) with four independent accumulators, like a dot product's loads without its FMAs. */
    private static double sum(MemorySegment seg, long from, long to) {
        FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F), s2 = FloatVector.zero(F), s3 = FloatVector.zero(F);
        int v = F.length();
        long i = from;
        for (; i + 4L * v <= to; i += 4L * v) {
            s0 = s0.add(FloatVector.fromMemorySegment(F, seg, 4 * i, ByteOrder.LITTLE_ENDIAN));
            s1 = s1.add(FloatVector.fromMemorySegment(F, seg, 4 * (i + v), ByteOrder.LITTLE_ENDIAN));
            s2 = s2.add(FloatVector.fromMemorySegment(F, seg, 4 * (i + 2L * v), ByteOrder.LITTLE_ENDIAN));
            s3 = s3.add(FloatVector.fromMemorySegment(F, seg, 4 * (i + 3L * v), ByteOrder.LITTLE_ENDIAN));
        }
        for (; i < to; i += v) {
            s0 = s0.add(FloatVector.fromMemorySegment(F, seg, 4 * i, ByteOrder.LITTLE_ENDIAN));
        }
        return s0.add(s1).add(s2).add(s3).reduceLanes(VectorOperators.ADD);
    }
}
