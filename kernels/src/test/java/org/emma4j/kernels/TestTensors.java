package org.emma4j.kernels;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;

/**
 * Random inputs and tolerance checks for the kernel tests. Every test draws a fresh seed (printed on
 * failure, and fixed with -Demma4j.test.seed=N to replay one), so a kernel is proven on new data each run.
 */
public final class TestTensors {
    private TestTensors() {
    }

    /** The awkward sizes every op is tried on: none a multiple of the 16-float vector width. */
    public static final int[] AWKWARD = {1, 7, 33, 97, 130};

    /** A fresh seed, or the one given by -Demma4j.test.seed. */
    public static long freshSeed() {
        String fixed = System.getProperty("emma4j.test.seed");
        return fixed != null ? Long.parseLong(fixed) : System.nanoTime() ^ Thread.currentThread().threadId() * 0x9E3779B97F4A7C15L;
    }

    /** Uniform values in [-scale, scale], never all zero. */
    public static float[] uniform(SplittableRandom rnd, int n, double scale) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) ((rnd.nextDouble() * 2 - 1) * scale);
        }
        return x;
    }

    /** Gaussian values with the given standard deviation. */
    public static float[] gaussian(SplittableRandom rnd, int n, double std) {
        float[] x = new float[n];
        for (int i = 0; i < n; i += 2) {
            double u1 = Math.max(1e-300, rnd.nextDouble());
            double u2 = rnd.nextDouble();
            double r = Math.sqrt(-2 * Math.log(u1));
            x[i] = (float) (std * r * Math.cos(2 * Math.PI * u2));
            if (i + 1 < n) {
                x[i + 1] = (float) (std * r * Math.sin(2 * Math.PI * u2));
            }
        }
        return x;
    }

    /** Rounds every value to bf16 (what a bf16 tensor would hold), for references of bf16 inputs. */
    public static float[] roundToBf16(float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Bf16.toFloat(Bf16.fromFloat(x[i]));
        }
        return y;
    }

    public static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }

    /** A tensor of the given dtype and shape holding {@code values} (rounded to the dtype). */
    public static Tensor tensor(Backend backend, TensorScope scope, DType dtype, float[] values, long... shape) {
        Tensor t = scope.allocate(dtype, shape);
        backend.fromFloats(t, values);
        return t;
    }

    /**
     * Asserts |actual - expected| ≤ atol + rtol·|expected| elementwise, reporting the worst element,
     * the seed and the context. Also fails on any NaN or infinity in {@code actual} where expected is finite.
     */
    public static void assertClose(String what, long seed, double[] expected, float[] actual, double rtol, double atol) {
        if (expected.length != actual.length) {
            fail(what + ": expected " + expected.length + " values, found " + actual.length + " (seed " + seed + ")");
        }
        int worst = -1;
        double worstExcess = 0;
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(actual[i] - expected[i]);
            double allowed = atol + rtol * Math.abs(expected[i]);
            boolean bad = !(err <= allowed) || (Double.isFinite(expected[i]) && !Float.isFinite(actual[i]));
            if (bad) {
                double excess = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err / Math.max(allowed, 1e-300);
                if (worst < 0 || excess > worstExcess) {
                    worst = i;
                    worstExcess = excess;
                }
            }
        }
        if (worst >= 0) {
            fail(String.format("%s: element %d is %s, expected %s (|err| %.3g > atol %.1g + rtol %.1g·|expected|); seed %d",
                    what, worst, actual[worst], expected[worst], Math.abs(actual[worst] - expected[worst]), atol, rtol, seed));
        }
    }

    /** Same as above with a double[] actual (finite-difference checks). */
    public static void assertClose(String what, long seed, double[] expected, double[] actual, double rtol, double atol) {
        float[] f = new float[actual.length];
        for (int i = 0; i < actual.length; i++) {
            f[i] = (float) actual[i];
        }
        assertClose(what, seed, expected, f, rtol, atol);
    }
}
