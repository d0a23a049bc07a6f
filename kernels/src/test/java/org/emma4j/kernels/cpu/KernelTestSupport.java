package org.emma4j.kernels.cpu;

import java.util.stream.Stream;
import org.emma4j.kernels.Backend;
import org.emma4j.kernels.BackendsUnderTest;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.TestTensors;
import org.junit.jupiter.api.Named;

/** Small helpers the CPU op tests share: backends as named arguments, dtype rounding of inputs, sums. */
final class KernelTestSupport {
    private KernelTestSupport() {
    }

    /**
     * Fresh instances of every backend under test as JUnit arguments named by {@link Backend#name()}. A
     * parameterized test closes AutoCloseable arguments after its invocation, so each invocation gets its own.
     */
    static Stream<Named<Backend>> backends() {
        return BackendsUnderTest.create().stream().map(b -> Named.of(b.name(), b));
    }

    /** The values a tensor of this dtype holds after {@code fromFloats(x)}, as doubles for a reference. */
    static double[] stored(float[] x, DType dtype) {
        return TestTensors.toDouble(dtype == DType.BF16 ? TestTensors.roundToBf16(x) : x);
    }

    /** The largest |x|, for absolute tolerances that scale with the data. */
    static double maxAbs(double[] x) {
        double m = 0;
        for (double v : x) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /** a + b elementwise: the expected value of a gradient that started at a and received b. */
    static double[] plus(double[] a, double[] b) {
        double[] s = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            s[i] = a[i] + b[i];
        }
        return s;
    }

    /** The relative tolerance for a result stored in this dtype: f32 arithmetic, or bf16's 2^-8 rounding. */
    static double rtol(DType stored, double f32Tolerance) {
        return stored == DType.BF16 ? 1e-2 : f32Tolerance;
    }
}
