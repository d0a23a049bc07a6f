package org.emma4j.kernels.cpu;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The per-block steps of attention's online softmax, shared by the tiled forward and the decoding path:
 * scores of a few rows by direct dot products, the causal mask, and the running max / sum update that
 * turns a block of scores into probabilities and rescales what the output has accumulated so far.
 * Score rows are {@link AttentionBlocks#BK} wide.
 */
final class OnlineSoftmax {
    private OnlineSoftmax() {
    }

    private static final VectorSpecies<Float> F = FloatRowIo.F;
    private static final int L = AttentionBlocks.L;
    private static final int BK = AttentionBlocks.BK;

    /**
     * {@code s[r · BK + j] = q_r · k_j} for r < rows, j < nk, with q_r at {@code q[qOff + r · dp]} and k_j at
     * {@code keys[kOff + j · kStride]} (rows padded to dp with zeros). Four keys share each query load; this
     * beats transposing the key block when only a few rows will use it (decoding).
     */
    static void dotScores(float[] q, int qOff, int rows, int dp, float[] keys, int kOff, int kStride, int nk, float[] s) {
        for (int r = 0; r < rows; r++) {
            int qo = qOff + r * dp;
            int so = r * BK;
            int j = 0;
            for (; j + 4 <= nk; j += 4) {
                int k0 = kOff + j * kStride;
                FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
                for (int i = 0; i < dp; i += L) {
                    FloatVector x = FloatVector.fromArray(F, q, qo + i);
                    a0 = x.fma(FloatVector.fromArray(F, keys, k0 + i), a0);
                    a1 = x.fma(FloatVector.fromArray(F, keys, k0 + kStride + i), a1);
                    a2 = x.fma(FloatVector.fromArray(F, keys, k0 + 2 * kStride + i), a2);
                    a3 = x.fma(FloatVector.fromArray(F, keys, k0 + 3 * kStride + i), a3);
                }
                s[so + j] = LaneSums.sum(a0);
                s[so + j + 1] = LaneSums.sum(a1);
                s[so + j + 2] = LaneSums.sum(a2);
                s[so + j + 3] = LaneSums.sum(a3);
            }
            for (; j < nk; j++) {
                int k0 = kOff + j * kStride;
                FloatVector a = FloatVector.zero(F);
                for (int i = 0; i < dp; i += L) {
                    a = FloatVector.fromArray(F, q, qo + i).fma(FloatVector.fromArray(F, keys, k0 + i), a);
                }
                s[so + j] = LaneSums.sum(a);
            }
        }
    }

    /**
     * For each of {@code rows} score rows: masks the keys from index {@code firstMaskedBase + r / group} on
     * (the keys after that row's position, which also covers the unfilled end of a short block), then raises
     * the running max {@code rowMax[rowBase + r]}, rescales the running sum and the accumulated output row
     * {@code acc[(rowBase + r) · dp]}, and leaves exp(score − max) in s. A row that sees no key of this block
     * keeps its state and gets probabilities of zero.
     */
    static void maskAndExponentiate(float[] s, int rows, int group, int firstMaskedBase,
                                    float[] rowMax, float[] rowSum, int rowBase, float[] acc, int dp) {
        for (int r = 0; r < rows; r++) {
            int so = r * BK;
            int firstMasked = firstMaskedBase + r / group;
            if (firstMasked < BK) {
                Arrays.fill(s, so + Math.max(0, firstMasked), so + BK, Float.NEGATIVE_INFINITY);
            }
            FloatVector mx = FloatVector.fromArray(F, s, so);
            for (int j = L; j < BK; j += L) {
                mx = mx.max(FloatVector.fromArray(F, s, so + j));
            }
            int row = rowBase + r;
            float old = rowMax[row];
            float max = Math.max(old, mx.reduceLanes(VectorOperators.MAX));
            if (max == Float.NEGATIVE_INFINITY) {
                // Nothing visible yet (a decoding chunk past this row's position): exp(-inf - -inf) would be NaN.
                Arrays.fill(s, so, so + BK, 0f);
                continue;
            }
            FloatVector sum = FloatVector.zero(F);
            for (int j = 0; j < BK; j += L) {
                FloatVector p = VectorMath.exp(FloatVector.fromArray(F, s, so + j).sub(max));
                p.intoArray(s, so + j);
                sum = sum.add(p);
            }
            float correction = old == Float.NEGATIVE_INFINITY ? 0f : (float) Math.exp(old - max);
            rowSum[row] = rowSum[row] * correction + LaneSums.sum(sum);
            rowMax[row] = max;
            if (correction != 1f) {
                int ao = row * dp;
                for (int i = 0; i < dp; i += L) {
                    FloatVector.fromArray(F, acc, ao + i).mul(correction).intoArray(acc, ao + i);
                }
            }
        }
    }
}
