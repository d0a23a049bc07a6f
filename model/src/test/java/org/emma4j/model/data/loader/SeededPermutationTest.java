package org.emma4j.model.data.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.emma4j.kernels.TestTensors;
import org.junit.jupiter.api.Test;

/** The on-demand permutation is a bijection, depends on the seed, and shuffles well. */
class SeededPermutationTest {
    @Test
    void isABijectionForAwkwardSizes() {
        long seed = TestTensors.freshSeed();
        for (long n : new long[] {1, 2, 3, 7, 33, 97, 130, 1000, 4097, 65537}) {
            SeededPermutation p = new SeededPermutation(n, seed);
            boolean[] hit = new boolean[(int) n];
            for (long i = 0; i < n; i++) {
                long v = p.apply(i);
                assertTrue(v >= 0 && v < n && !hit[(int) v], "seed " + seed + ", n " + n + ": " + i + " -> " + v);
                hit[(int) v] = true;
            }
        }
    }

    @Test
    void dependsOnTheSeedAndSpreadsEveryStartingPosition() {
        long seed = TestTensors.freshSeed();
        int n = 97;
        long[] a = new long[n];
        long[] b = new long[n];
        SeededPermutation p = new SeededPermutation(n, seed);
        SeededPermutation q = new SeededPermutation(n, seed + 1);
        for (int i = 0; i < n; i++) {
            a[i] = p.apply(i);
            b[i] = q.apply(i);
        }
        assertNotEquals(Arrays.toString(a), Arrays.toString(b), "seed " + seed);
        // Where does position 0 go over 9700 seeds? Uniform over 97 values: chi-square with 96 dof,
        // 1e-4 upper quantile about 150 (Wilson-Hilferty).
        long[] counts = new long[n];
        int seeds = 100 * n;
        for (int s = 0; s < seeds; s++) {
            counts[(int) new SeededPermutation(n, seed * 31 + s).apply(0)]++;
        }
        double chi2 = 0;
        for (long c : counts) {
            chi2 += (c - 100.0) * (c - 100.0) / 100.0;
        }
        int dof = n - 1;
        double critical = dof * Math.pow(1 - 2.0 / (9 * dof) + 3.719 * Math.sqrt(2.0 / (9 * dof)), 3);
        assertTrue(chi2 < critical, "seed " + seed + ": chi-square " + chi2 + " >= " + critical);
        assertEquals(seeds, Arrays.stream(counts).sum());
    }
}
