package org.emma4j.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * F32 GEMM at the shapes of training a linear layer (T tokens, I inputs, O outputs), in the three layouts a
 * linear layer needs: forward {@code y[T,O] = x[T,I]·W[O,I]ᵀ} ({@code xWt}), input gradient
 * {@code dX[T,I] += dY[T,O]·W} ({@code dX}) and weight gradient {@code dW[O,I] += dY[T,O]ᵀ·x} ({@code dW}); all
 * are 2·T·I·O flops. emma4j ({@code emma4j}) runs beside OpenBLAS's {@code cblas_sgemm} ({@code openblas}) on
 * the same thread count and the same data; {@code naive} is a scalar triple loop on a fixed 256³ product.
 * JMH's secondary rate {@code gflop} is GFLOP/s.
 *
 * <p>Run: {@code ./emma4j bench GemmBenchmark} (add e.g. {@code -p layout=xWt -p threads=2} to narrow it).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class GemmBenchmark {

    /** JMH reports this per-thread counter as a rate: GFLOP per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Rates {
        public double gflop;

        @Setup(Level.Iteration)
        public void reset() {
            gflop = 0;
        }
    }

    /** One training-shaped product, with its operands in native memory shared by emma4j and OpenBLAS. */
    @State(Scope.Benchmark)
    public static class Problem {
        /** tokens x inputs x outputs. */
        @Param({"512x2048x2048", "2048x2048x8192"})
        public String shape;

        @Param({"xWt", "dX", "dW"})
        public String layout;

        @Param({"1", "2"})
        public int threads;

        CpuBackend backend;
        TensorScope scope;
        Tensor c;
        Tensor a;
        Tensor b;
        boolean transA;
        boolean transB;
        float beta;
        int m;
        int n;
        int k;
        double gflop;

        @Setup(Level.Trial)
        public void setUp() {
            String[] dims = shape.split("x");
            int tokens = Integer.parseInt(dims[0]);
            int in = Integer.parseInt(dims[1]);
            int out = Integer.parseInt(dims[2]);
            backend = new CpuBackend(threads);
            scope = backend.newScope();
            SplittableRandom rnd = new SplittableRandom(42);
            switch (layout) {
                case "xWt" -> { // y = x·Wᵀ
                    c = scope.allocate(DType.F32, tokens, out);
                    a = random(rnd, tokens, in);
                    b = random(rnd, out, in);
                    transB = true;
                    m = tokens;
                    n = out;
                    k = in;
                }
                case "dX" -> { // dX += dY·W
                    c = random(rnd, tokens, in);
                    a = random(rnd, tokens, out);
                    b = random(rnd, out, in);
                    beta = 1f;
                    m = tokens;
                    n = in;
                    k = out;
                }
                case "dW" -> { // dW += dYᵀ·x
                    c = random(rnd, out, in);
                    a = random(rnd, tokens, out);
                    b = random(rnd, tokens, in);
                    transA = true;
                    beta = 1f;
                    m = out;
                    n = in;
                    k = tokens;
                }
                default -> throw new IllegalArgumentException("unknown layout " + layout + "; expected xWt, dX or dW");
            }
            gflop = 2.0 * tokens * in * out / 1e9;
        }

        private Tensor random(SplittableRandom rnd, long rows, long cols) {
            Tensor t = scope.allocate(DType.F32, rows, cols);
            float[] x = new float[Math.toIntExact(t.size())];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (rnd.nextDouble() - 0.5);
            }
            backend.fromFloats(t, x);
            return t;
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            scope.close();
            backend.close();
        }
    }

    /** OpenBLAS on the problem's thread count; fails the trial with a clear message when not installed. */
    @State(Scope.Benchmark)
    public static class Blas {
        OpenBlas blas;

        @Setup(Level.Trial)
        public void setUp(Problem p) {
            blas = OpenBlas.load().orElseThrow(() -> new IllegalStateException(
                    "OpenBLAS is not installed, so this baseline is skipped (apt-get install -y libopenblas0-pthread)"));
            blas.setThreads(p.threads);
        }
    }

    /** The naive baseline's operands: y = x·Wᵀ at 256³ on the heap. */
    @State(Scope.Benchmark)
    public static class NaiveProblem {
        static final int SIZE = 256;
        final float[] x = new float[SIZE * SIZE];
        final float[] w = new float[SIZE * SIZE];
        final float[] y = new float[SIZE * SIZE];

        @Setup(Level.Trial)
        public void setUp() {
            SplittableRandom rnd = new SplittableRandom(42);
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (rnd.nextDouble() - 0.5);
                w[i] = (float) (rnd.nextDouble() - 0.5);
            }
        }
    }

    @Benchmark
    public Tensor emma4j(Problem p, Rates rates) {
        p.backend.matmul(p.c, p.a, p.transA, p.b, p.transB, 1f, p.beta);
        rates.gflop += p.gflop;
        return p.c;
    }

    @Benchmark
    public Tensor openblas(Problem p, Blas blas, Rates rates) {
        blas.blas.sgemm(p.transA, p.transB, p.m, p.n, p.k, 1f, p.a.segment(), p.b.segment(), p.beta, p.c.segment());
        rates.gflop += p.gflop;
        return p.c;
    }

    /** Seconds spent in each library by {@link #paired}; JMH reports both totals per iteration. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class PairedSeconds {
        public double emma4jSeconds;
        public double openblasSeconds;

        @Setup(Level.Iteration)
        public void reset() {
            emma4jSeconds = 0;
            openblasSeconds = 0;
        }
    }

    /**
     * The speed ratio of each {@link #paired} invocation, OpenBLAS's seconds over emma4j's; at the end of the run
     * their median and quartiles are printed, which a burst of load on the shared machine during one library's
     * calls moves much less than it moves the summed seconds.
     */
    @State(Scope.Benchmark)
    public static class PairedRatios {
        final List<Double> ratios = new ArrayList<>();
        /** False during warm-up iterations, whose ratios are left out. */
        boolean measuring;

        @Setup(Level.Iteration)
        public void iteration(IterationParams iteration) {
            measuring = iteration.getType() == IterationType.MEASUREMENT;
        }

        void add(double ratio) {
            if (measuring) {
                ratios.add(ratio);
            }
        }

        @TearDown(Level.Trial)
        public void report() {
            if (ratios.isEmpty()) {
                return;
            }
            List<Double> sorted = new ArrayList<>(ratios);
            Collections.sort(sorted);
            System.out.printf("%npaired: emma4j speed / OpenBLAS speed, median of %d invocations: %.2f (quartiles %.2f – %.2f)%n",
                    sorted.size(), quantile(sorted, 0.5), quantile(sorted, 0.25), quantile(sorted, 0.75));
        }

        private static double quantile(List<Double> sorted, double q) {
            return sorted.get((int) Math.round(q * (sorted.size() - 1)));
        }
    }

    /**
     * emma4j and OpenBLAS taking turns on the same problem within each invocation: three calls each, the first
     * of each three untimed (it pays for the switch: caches, and OpenBLAS's threads still spinning from their last
     * call or waking up). This machine's speed drifts by up to 2× over tens of seconds, so two benchmarks run
     * minutes apart can compare a fast minute with a slow one; the ratio {@code openblasSeconds / emma4jSeconds}
     * of one iteration compares like with like, and {@link PairedRatios} prints the median of the ratios of single
     * invocations (a fraction of a second each at the 512-token shape). More iterations than the other benchmarks:
     * at the 2048-token shape one invocation takes seconds.
     */
    @Benchmark
    @Measurement(iterations = 8, time = 2)
    public Tensor paired(Problem p, Blas blas, PairedSeconds seconds, PairedRatios ratios) {
        double emma4j = 0;
        double openblas = 0;
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            p.backend.matmul(p.c, p.a, p.transA, p.b, p.transB, 1f, p.beta);
            if (i > 0) {
                emma4j += (System.nanoTime() - t0) * 1e-9;
            }
        }
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            blas.blas.sgemm(p.transA, p.transB, p.m, p.n, p.k, 1f, p.a.segment(), p.b.segment(), p.beta, p.c.segment());
            if (i > 0) {
                openblas += (System.nanoTime() - t0) * 1e-9;
            }
        }
        seconds.emma4jSeconds += emma4j;
        seconds.openblasSeconds += openblas;
        ratios.add(openblas / emma4j);
        return p.c;
    }

    /** The textbook loop: each output a scalar dot product of a row of x and a row of W. Single-threaded. */
    @Benchmark
    public float[] naive(NaiveProblem p, Rates rates) {
        int s = NaiveProblem.SIZE;
        for (int i = 0; i < s; i++) {
            for (int j = 0; j < s; j++) {
                float sum = 0;
                for (int kk = 0; kk < s; kk++) {
                    sum += p.x[i * s + kk] * p.w[j * s + kk];
                }
                p.y[i * s + j] = sum;
            }
        }
        rates.gflop += 2.0 * s * s * s / 1e9;
        return p.y;
    }
}
