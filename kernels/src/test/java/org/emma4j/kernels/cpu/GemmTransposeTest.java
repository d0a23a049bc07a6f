package org.emma4j.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import org.emma4j.kernels.TestTensors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The register transposes of the GEMM packing against index arithmetic: pure data movement, so every element
 * must match bit for bit, and every element of the destination outside the written positions must keep its
 * (random) value. Sources sit at awkward offsets and strides. The matmul tests cover the same code end to end.
 */
class GemmTransposeTest {
    private static final int S = GemmTranspose.S;

    @BeforeEach
    void needsSixteenLanes() {
        assumeTrue(GemmTranspose.AVAILABLE, "the register transpose needs 16-lane float vectors; this machine has "
                + GemmTranspose.F.length() + " (the packing uses its gather path here)");
    }

    @Test
    void intoRowsPutsColumnCOfTheBlockAtRowC() {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int[] geometry : new int[][]{{0, 16, 0, 16}, {7, 19, 5, 32}, {33, 97, 130, 47}}) {
            int so = geometry[0], lds = geometry[1], off = geometry[2], ld = geometry[3];
            float[] src = random(rnd, so + 15 * lds + S + 3);
            float[] dst = random(rnd, off + 15 * ld + S + 5);
            float[] before = dst.clone();
            GemmTranspose.intoRows(src, so, lds, dst, off, ld);
            boolean[] written = new boolean[dst.length];
            for (int r = 0; r < S; r++) {
                for (int c = 0; c < S; c++) {
                    int at = off + c * ld + r;
                    assertEquals(src[so + r * lds + c], dst[at], "row " + r + " column " + c + "; seed " + seed);
                    written[at] = true;
                }
            }
            assertUntouched(before, dst, written, seed);
        }
    }

    @Test
    void intoPanelPairSplitsEachColumnBetweenTwoPanelsOfEightRows() {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] square = random(rnd, S * S);
        for (int[] geometry : new int[][]{{0, 16, 0, 128}, {5, 23, 9, 200}, {40, 130, 3, 131}}) {
            int so = geometry[0], lds = geometry[1], lower = geometry[2], upper = geometry[3];
            float[] src = random(rnd, so + 15 * lds + S + 2);
            float[] dst = random(rnd, upper + S * S / 2 + 7);
            float[] before = dst.clone();
            GemmTranspose.intoPanelPair(src, so, lds, dst, lower, upper, square);
            boolean[] written = new boolean[dst.length];
            for (int r = 0; r < S; r++) {
                for (int c = 0; c < S; c++) {
                    int at = (r < S / 2 ? lower : upper) + c * (S / 2) + r % (S / 2);
                    assertEquals(src[so + r * lds + c], dst[at], "row " + r + " column " + c + "; seed " + seed);
                    written[at] = true;
                }
            }
            assertUntouched(before, dst, written, seed);
        }
    }

    private static void assertUntouched(float[] before, float[] after, boolean[] written, long seed) {
        for (int i = 0; i < after.length; i++) {
            if (!written[i]) {
                assertEquals(before[i], after[i], "element " + i + " lies outside the block's destination but changed; seed " + seed);
            }
        }
    }

    private static float[] random(SplittableRandom rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return x;
    }
}
