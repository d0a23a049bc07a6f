package org.emma4j.kernels.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.Tensor;

/**
 * One worker's forward attention: a tile of query rows (a run of positions × the query heads sharing one
 * KV head) swept over key blocks with an online softmax, as in FlashAttention. Rows are widened into
 * float scratch once, so the inner loops are plain {@link TileGemm} products whatever the dtypes.
 * The scratch is sized for one tile and reused for every tile this worker takes.
 *
 * <p>Two ways to form a block of scores: a tile with many rows transposes the key block once and runs
 * the outer-product kernel (no horizontal sums); a tile of a few rows (decoding, Tq = 1) takes dot products
 * against the key rows directly, which is cheaper than transposing keys it would use only a few times.
 */
final class AttentionForward {
    private static final VectorSpecies<Float> F = FloatRowIo.F;
    private static final int L = AttentionBlocks.L;
    private static final int BK = AttentionBlocks.BK;
    /** Tiles with fewer rows than this take direct dot products instead of transposing the key block. */
    static final int DIRECT_ROWS = 16;

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;

    private final AttentionShape shape;
    private final float scale;
    private final int dp;
    private final MemorySegment q, k, v, out, lse;
    private final DType qType, kType, vType, outType;

    private final float[] qs;   // [rows][dp] scaled queries
    private final float[] acc;  // [rows][dp] unnormalised output
    private final float[] s;    // [rows][BK] scores, then probabilities
    private final float[] ks;   // [BK][dp] key block
    private final float[] kt;   // [headDim][BK] key block transposed
    private final float[] vs;   // [BK][dp] value block
    private final float[] rowMax;
    private final float[] rowSum;

    AttentionForward(AttentionShape shape, Tensor out, Tensor lse, Tensor q, Tensor k, Tensor v, float scale, int maxRows) {
        this.shape = shape;
        this.scale = scale;
        this.dp = AttentionBlocks.paddedHeadDim(shape.headDim());
        this.q = q.segment();
        this.k = k.segment();
        this.v = v.segment();
        this.out = out.segment();
        this.lse = lse == null ? null : lse.segment();
        this.qType = q.dtype();
        this.kType = k.dtype();
        this.vType = v.dtype();
        this.outType = out.dtype();
        this.qs = new float[maxRows * dp];
        this.acc = new float[maxRows * dp];
        this.s = new float[maxRows * BK];
        this.ks = new float[BK * dp];
        this.kt = new float[shape.headDim() * BK];
        this.vs = new float[BK * dp];
        this.rowMax = new float[maxRows];
        this.rowSum = new float[maxRows];
    }

    /** Computes out (and lse) for positions [t0, t0 + positions) of batch b and the query heads of KV head kvh. */
    void runTile(int b, int kvh, int t0, int positions) {
        int group = shape.group();
        int d = shape.headDim();
        int rows = positions * group;
        for (int tl = 0; tl < positions; tl++) {
            for (int g = 0; g < group; g++) {
                long at = shape.rowOffset(b, t0 + tl, shape.tq(), shape.hq(), kvh * group + g);
                FloatRowIo.load(q, qType, at, d, qs, (tl * group + g) * dp, scale);
            }
        }
        Arrays.fill(acc, 0, rows * dp, 0f);
        Arrays.fill(rowMax, 0, rows, Float.NEGATIVE_INFINITY);
        Arrays.fill(rowSum, 0, rows, 0f);
        boolean direct = rows < DIRECT_ROWS;
        int keyEnd = shape.qPos0() + t0 + positions;
        for (int j0 = 0; j0 < keyEnd; j0 += BK) {
            int nk = Math.min(BK, keyEnd - j0);
            AttentionBlocks.loadKeyRows(shape, k, kType, b, kvh, j0, nk, ks, dp);
            if (direct) {
                directScores(rows, nk);
            } else {
                AttentionBlocks.transpose(ks, dp, d, nk, kt);
                TileGemm.mul(s, 0, BK, rows, BK / L, qs, 0, dp, 1, d, kt, BK, false);
            }
            maskAndExponentiate(rows, t0, j0);
            AttentionBlocks.loadKeyRows(shape, v, vType, b, kvh, j0, nk, vs, dp);
            TileGemm.mul(acc, 0, dp, rows, dp / L, s, 0, BK, 1, nk, vs, dp, true);
        }
        for (int tl = 0; tl < positions; tl++) {
            for (int g = 0; g < group; g++) {
                int r = tl * group + g;
                int h = kvh * group + g;
                FloatRowIo.store(out, outType, shape.rowOffset(b, t0 + tl, shape.tq(), shape.hq(), h), d, acc, r * dp, 1f / rowSum[r]);
                if (lse != null) {
                    long at = ((long) b * shape.hq() + h) * shape.tq() + t0 + tl;
                    lse.setAtIndex(F32, at, rowMax[r] + (float) Math.log(rowSum[r]));
                }
            }
        }
    }

    /** Scores by dot products of each query row with each key row, four keys at a time. */
    private void directScores(int rows, int nk) {
        for (int r = 0; r < rows; r++) {
            int qo = r * dp;
            int so = r * BK;
            int j = 0;
            for (; j + 4 <= nk; j += 4) {
                int k0 = j * dp;
                FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
                for (int i = 0; i < dp; i += L) {
                    FloatVector x = FloatVector.fromArray(F, qs, qo + i);
                    a0 = x.fma(FloatVector.fromArray(F, ks, k0 + i), a0);
                    a1 = x.fma(FloatVector.fromArray(F, ks, k0 + dp + i), a1);
                    a2 = x.fma(FloatVector.fromArray(F, ks, k0 + 2 * dp + i), a2);
                    a3 = x.fma(FloatVector.fromArray(F, ks, k0 + 3 * dp + i), a3);
                }
                s[so + j] = a0.reduceLanes(VectorOperators.ADD);
                s[so + j + 1] = a1.reduceLanes(VectorOperators.ADD);
                s[so + j + 2] = a2.reduceLanes(VectorOperators.ADD);
                s[so + j + 3] = a3.reduceLanes(VectorOperators.ADD);
            }
            for (; j < nk; j++) {
                FloatVector a = FloatVector.zero(F);
                for (int i = 0; i < dp; i += L) {
                    a = FloatVector.fromArray(F, qs, qo + i).fma(FloatVector.fromArray(F, ks, j * dp + i), a);
                }
                s[so + j] = a.reduceLanes(VectorOperators.ADD);
            }
        }
    }

    /**
     * Masks keys after each row's position (which also covers the unfilled end of a short block), then
     * the online-softmax step: raise the running max, rescale the running sum and output, and turn the
     * scores into probabilities relative to the new max.
     */
    private void maskAndExponentiate(int rows, int t0, int j0) {
        int group = shape.group();
        for (int r = 0; r < rows; r++) {
            int so = r * BK;
            int firstMasked = shape.qPos0() + t0 + r / group - j0 + 1;
            if (firstMasked < BK) {
                Arrays.fill(s, so + Math.max(0, firstMasked), so + BK, Float.NEGATIVE_INFINITY);
            }
            FloatVector mx = FloatVector.fromArray(F, s, so);
            for (int j = L; j < BK; j += L) {
                mx = mx.max(FloatVector.fromArray(F, s, so + j));
            }
            float old = rowMax[r];
            float max = Math.max(old, mx.reduceLanes(VectorOperators.MAX));
            if (max == Float.NEGATIVE_INFINITY) {
                // Cannot happen (every row sees key 0 in the first block); kept so a row never becomes NaN.
                Arrays.fill(s, so, so + BK, 0f);
                continue;
            }
            FloatVector sum = FloatVector.zero(F);
            for (int j = 0; j < BK; j += L) {
                FloatVector p = FloatVector.fromArray(F, s, so + j).sub(max).lanewise(VectorOperators.EXP);
                p.intoArray(s, so + j);
                sum = sum.add(p);
            }
            float correction = old == Float.NEGATIVE_INFINITY ? 0f : (float) Math.exp(old - max);
            rowSum[r] = rowSum[r] * correction + sum.reduceLanes(VectorOperators.ADD);
            rowMax[r] = max;
            if (correction != 1f) {
                int ao = r * dp;
                for (int i = 0; i < dp; i += L) {
                    FloatVector.fromArray(F, acc, ao + i).mul(correction).intoArray(acc, ao + i);
                }
            }
        }
    }
}
