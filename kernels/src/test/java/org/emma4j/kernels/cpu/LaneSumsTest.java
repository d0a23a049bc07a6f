package org.emma4j.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import org.emma4j.kernels.TestTensors;
import org.junit.jupiter.api.Test;

/**
 * Lane sums follow one fixed pairwise tree, bit for bit, every time (so kernels give identical bits before and
 * after the JIT compiles them), and are true sums: within 1e-6 relative of the float64 sum of the lanes'
 * magnitudes for F32 (log2(16) roundings), 1e-15 for F64. Inputs span six decades so that the order matters.
 */
class LaneSumsTest {

    @Test
    void floatLaneSumIsTheFixedPairwiseTree() {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        var species = FloatVector.SPECIES_PREFERRED;
        float[] a = new float[species.length()];
        for (int trial = 0; trial < 20_000; trial++) {
            double exact = 0;
            double magnitude = 0;
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(6)));
                exact += a[i];
                magnitude += Math.abs(a[i]);
            }
            float got = LaneSums.sum(FloatVector.fromArray(species, a, 0));
            assertEquals(Float.floatToRawIntBits(pairwise(a)), Float.floatToRawIntBits(got), "trial " + trial + "; seed " + seed);
            assertEquals(exact, got, 1e-6 * magnitude, "trial " + trial + "; seed " + seed);
            // Another species (a narrower one) takes the generic path and the same tree.
            var half = FloatVector.SPECIES_128;
            float[] four = {a[0], a[1], a[2], a[3]};
            assertEquals(Float.floatToRawIntBits(pairwise(four)), Float.floatToRawIntBits(LaneSums.sum(FloatVector.fromArray(half, four, 0))));
        }
    }

    @Test
    void doubleLaneSumIsTheFixedPairwiseTree() {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        var species = DoubleVector.SPECIES_PREFERRED;
        double[] a = new double[species.length()];
        for (int trial = 0; trial < 20_000; trial++) {
            double magnitude = 0;
            for (int i = 0; i < a.length; i++) {
                a[i] = rnd.nextGaussian() * Math.pow(10, rnd.nextInt(12));
                magnitude += Math.abs(a[i]);
            }
            double[] tree = a.clone();
            for (int len = tree.length; len > 1; len /= 2) {
                for (int i = 0; i < len / 2; i++) {
                    tree[i] += tree[i + len / 2];
                }
            }
            double got = LaneSums.sum(DoubleVector.fromArray(species, a, 0));
            assertEquals(Double.doubleToRawLongBits(tree[0]), Double.doubleToRawLongBits(got), "trial " + trial + "; seed " + seed);
            double sequential = 0;
            for (double v : a) {
                sequential += v;
            }
            assertEquals(sequential, got, 1e-15 * magnitude * a.length);
        }
    }

    /** lane i += lane i + half, halving: the order LaneSums promises. */
    private static float pairwise(float[] lanes) {
        float[] t = lanes.clone();
        for (int len = t.length; len > 1; len /= 2) {
            for (int i = 0; i < len / 2; i++) {
                t[i] += t[i + len / 2];
            }
        }
        return t[0];
    }
}
