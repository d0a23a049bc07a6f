package org.emma4j.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * 16 × 16 float blocks transposed in registers, for packing the GEMM operands whose panels run across stored
 * rows (a weight used as Wᵀ, activations as op(a)). The packing first reads the panel's stored rows whole into a
 * float scratch block (converting BF16 on the way) and transposes from there: about 0.7 ns per element with
 * the rows coming from DRAM, against 0.85 for the vector gathers this replaces. (Reading the block straight
 * from tensor memory makes this method too large for C1, which then never hands it to C2.)
 *
 * <p>The transpose is four rounds of two-vector permutes. Round b pairs the vectors whose indices differ in bit
 * b and exchanges bit b of the vector index with bit b of the lane index: the element at (vector v, lane l)
 * moves to (v with bit b taken from l, l with bit b taken from v). After rounds 0..3 every bit of the row has
 * traded places with the same bit of the column, so vector c holds column c of the block.
 *
 * <p>Only for 16-lane float vectors (512 bits); {@link #AVAILABLE} says whether this machine has them, and the
 * packing falls back to scalar and gather code otherwise and for edge blocks.
 */
final class GemmTranspose {
    private GemmTranspose() {
    }

    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Rows and columns of a block. */
    static final int S = 16;
    /** Whether vectors have exactly {@link #S} float lanes, as the rounds below assume. */
    static final boolean AVAILABLE = F.length() == S;

    // Round b: the new lower vector of a pair takes LOW_b, the upper one HIGH_b; lanes ≥ 16 pick from the upper input.
    private static final VectorShuffle<Float> LOW_0 = AVAILABLE ? round(0, false) : null;
    private static final VectorShuffle<Float> HIGH_0 = AVAILABLE ? round(0, true) : null;
    private static final VectorShuffle<Float> LOW_1 = AVAILABLE ? round(1, false) : null;
    private static final VectorShuffle<Float> HIGH_1 = AVAILABLE ? round(1, true) : null;
    private static final VectorShuffle<Float> LOW_2 = AVAILABLE ? round(2, false) : null;
    private static final VectorShuffle<Float> HIGH_2 = AVAILABLE ? round(2, true) : null;
    private static final VectorShuffle<Float> LOW_3 = AVAILABLE ? round(3, false) : null;
    private static final VectorShuffle<Float> HIGH_3 = AVAILABLE ? round(3, true) : null;
    /** Half a block's width: 8 floats. */
    private static final VectorSpecies<Float> HALF = FloatVector.SPECIES_256;

    /**
     * The shuffle of round {@code bit} for the lower ({@code upper == false}) or upper vector of a pair: lane l
     * of the lower result keeps lane l of the lower input when l's bit is 0, else takes lane l − 2^bit of the
     * upper input; the upper result mirrors it.
     */
    private static VectorShuffle<Float> round(int bit, boolean upper) {
        int[] index = new int[S];
        int m = 1 << bit;
        for (int l = 0; l < S; l++) {
            boolean set = (l & m) != 0;
            index[l] = upper ? (set ? S + l : l ^ m) : (set ? S + (l ^ m) : l);
        }
        return VectorShuffle.fromArray(F, index, 0);
    }

    /**
     * The 16 × 16 block {@code src[so + r·lds + c]} (rows r, columns c) transposed: column c of the block, as 16
     * floats (one per row), goes to {@code dst[off + c·ld]} — the layout of half a packed B micro-panel.
     */
    static void intoRows(float[] src, int so, int lds, float[] dst, int off, int ld) {
        transpose(src, so, lds, dst, off, ld);
    }

    /**
     * As {@link #intoRows}, but each transposed column is split between two packed A micro-panels of 8 rows:
     * rows 0..7 of column c go to {@code dst[lower + 8c …]}, rows 8..15 to {@code dst[upper + 8c …]}. The block
     * is transposed into {@code square} (256 floats, L1-resident) and its halves copied out with half-width
     * vectors; storing the halves straight from the transpose, with masks, makes it too large for C1 (see above).
     */
    static void intoPanelPair(float[] src, int so, int lds, float[] dst, int lower, int upper, float[] square) {
        transpose(src, so, lds, square, 0, S);
        for (int c = 0; c < S; c++) {
            FloatVector.fromArray(HALF, square, c * S).intoArray(dst, lower + c * (S / 2));
            FloatVector.fromArray(HALF, square, c * S + S / 2).intoArray(dst, upper + c * (S / 2));
        }
    }

    /**
     * One block, all in locals so that C2 keeps the 16 vectors in registers (an array or object holding them
     * would go through memory): column c to {@code dst[off + c·ld]}.
     */
    private static void transpose(float[] src, int so, int lds, float[] dst, int off, int ld) {
        FloatVector r0 = FloatVector.fromArray(F, src, so);
        FloatVector r1 = FloatVector.fromArray(F, src, so + lds);
        FloatVector r2 = FloatVector.fromArray(F, src, so + 2 * lds);
        FloatVector r3 = FloatVector.fromArray(F, src, so + 3 * lds);
        FloatVector r4 = FloatVector.fromArray(F, src, so + 4 * lds);
        FloatVector r5 = FloatVector.fromArray(F, src, so + 5 * lds);
        FloatVector r6 = FloatVector.fromArray(F, src, so + 6 * lds);
        FloatVector r7 = FloatVector.fromArray(F, src, so + 7 * lds);
        FloatVector r8 = FloatVector.fromArray(F, src, so + 8 * lds);
        FloatVector r9 = FloatVector.fromArray(F, src, so + 9 * lds);
        FloatVector r10 = FloatVector.fromArray(F, src, so + 10 * lds);
        FloatVector r11 = FloatVector.fromArray(F, src, so + 11 * lds);
        FloatVector r12 = FloatVector.fromArray(F, src, so + 12 * lds);
        FloatVector r13 = FloatVector.fromArray(F, src, so + 13 * lds);
        FloatVector r14 = FloatVector.fromArray(F, src, so + 14 * lds);
        FloatVector r15 = FloatVector.fromArray(F, src, so + 15 * lds);
        FloatVector t;
        // Round 0: pairs (0,1), (2,3), …
        t = r0.rearrange(LOW_0, r1); r1 = r0.rearrange(HIGH_0, r1); r0 = t;
        t = r2.rearrange(LOW_0, r3); r3 = r2.rearrange(HIGH_0, r3); r2 = t;
        t = r4.rearrange(LOW_0, r5); r5 = r4.rearrange(HIGH_0, r5); r4 = t;
        t = r6.rearrange(LOW_0, r7); r7 = r6.rearrange(HIGH_0, r7); r6 = t;
        t = r8.rearrange(LOW_0, r9); r9 = r8.rearrange(HIGH_0, r9); r8 = t;
        t = r10.rearrange(LOW_0, r11); r11 = r10.rearrange(HIGH_0, r11); r10 = t;
        t = r12.rearrange(LOW_0, r13); r13 = r12.rearrange(HIGH_0, r13); r12 = t;
        t = r14.rearrange(LOW_0, r15); r15 = r14.rearrange(HIGH_0, r15); r14 = t;
        // Round 1: pairs (0,2), (1,3), …
        t = r0.rearrange(LOW_1, r2); r2 = r0.rearrange(HIGH_1, r2); r0 = t;
        t = r1.rearrange(LOW_1, r3); r3 = r1.rearrange(HIGH_1, r3); r1 = t;
        t = r4.rearrange(LOW_1, r6); r6 = r4.rearrange(HIGH_1, r6); r4 = t;
        t = r5.rearrange(LOW_1, r7); r7 = r5.rearrange(HIGH_1, r7); r5 = t;
        t = r8.rearrange(LOW_1, r10); r10 = r8.rearrange(HIGH_1, r10); r8 = t;
        t = r9.rearrange(LOW_1, r11); r11 = r9.rearrange(HIGH_1, r11); r9 = t;
        t = r12.rearrange(LOW_1, r14); r14 = r12.rearrange(HIGH_1, r14); r12 = t;
        t = r13.rearrange(LOW_1, r15); r15 = r13.rearrange(HIGH_1, r15); r13 = t;
        // Round 2: pairs (0,4), (1,5), (2,6), (3,7), …
        t = r0.rearrange(LOW_2, r4); r4 = r0.rearrange(HIGH_2, r4); r0 = t;
        t = r1.rearrange(LOW_2, r5); r5 = r1.rearrange(HIGH_2, r5); r1 = t;
        t = r2.rearrange(LOW_2, r6); r6 = r2.rearrange(HIGH_2, r6); r2 = t;
        t = r3.rearrange(LOW_2, r7); r7 = r3.rearrange(HIGH_2, r7); r3 = t;
        t = r8.rearrange(LOW_2, r12); r12 = r8.rearrange(HIGH_2, r12); r8 = t;
        t = r9.rearrange(LOW_2, r13); r13 = r9.rearrange(HIGH_2, r13); r9 = t;
        t = r10.rearrange(LOW_2, r14); r14 = r10.rearrange(HIGH_2, r14); r10 = t;
        t = r11.rearrange(LOW_2, r15); r15 = r11.rearrange(HIGH_2, r15); r11 = t;
        // Round 3: pairs (0,8), (1,9), …
        t = r0.rearrange(LOW_3, r8); r8 = r0.rearrange(HIGH_3, r8); r0 = t;
        t = r1.rearrange(LOW_3, r9); r9 = r1.rearrange(HIGH_3, r9); r1 = t;
        t = r2.rearrange(LOW_3, r10); r10 = r2.rearrange(HIGH_3, r10); r2 = t;
        t = r3.rearrange(LOW_3, r11); r11 = r3.rearrange(HIGH_3, r11); r3 = t;
        t = r4.rearrange(LOW_3, r12); r12 = r4.rearrange(HIGH_3, r12); r4 = t;
        t = r5.rearrange(LOW_3, r13); r13 = r5.rearrange(HIGH_3, r13); r5 = t;
        t = r6.rearrange(LOW_3, r14); r14 = r6.rearrange(HIGH_3, r14); r6 = t;
        t = r7.rearrange(LOW_3, r15); r15 = r7.rearrange(HIGH_3, r15); r7 = t;
        r0.intoArray(dst, off);
        r1.intoArray(dst, off + ld);
        r2.intoArray(dst, off + 2 * ld);
        r3.intoArray(dst, off + 3 * ld);
        r4.intoArray(dst, off + 4 * ld);
        r5.intoArray(dst, off + 5 * ld);
        r6.intoArray(dst, off + 6 * ld);
        r7.intoArray(dst, off + 7 * ld);
        r8.intoArray(dst, off + 8 * ld);
        r9.intoArray(dst, off + 9 * ld);
        r10.intoArray(dst, off + 10 * ld);
        r11.intoArray(dst, off + 11 * ld);
        r12.intoArray(dst, off + 12 * ld);
        r13.intoArray(dst, off + 13 * ld);
        r14.intoArray(dst, off + 14 * ld);
        r15.intoArray(dst, off + 15 * ld);
    }
}
