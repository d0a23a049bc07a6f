package org.emma4j.kernels.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.Tensor;

/**
 * One worker's forward attention: a tile of query rows (a run of positions × the query heads sharing one
 * KV head) swept over key blocks with an online softmax, as in FlashAttention. Rows are widened into
 * float scratch once, so the inner loops are plain {@link TileGemm} products whatever the dtypes.
 * The scratch is sized for one tile and reused for every tile this worker takes.
 *
 * <p>Two ways to form a block of scores: a tile with many rows transposes the key block once and runs
 * the outer-product kernel (no horizontal sums); a tile of a few rows (the last, partial tile of a
 * sequence) takes dot products against the key rows directly, cheaper than transposing keys it would use
 * only a few times. Calls with few rows altogether (decoding) go to {@link AttentionDecode} instead.
 */
final class AttentionForward {
    private static final int L = AttentionBlocks.L;
    private static final int BK = AttentionBlocks.BK;
    /** Tiles (and decoding calls) with fewer rows per KV head than this take direct dot products instead of transposing keys. */
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
                OnlineSoftmax.dotScores(qs, 0, rows, dp, ks, 0, dp, nk, s);
            } else {
                AttentionBlocks.transpose(ks, dp, d, nk, kt);
                TileGemm.mul(s, 0, BK, rows, BK / L, qs, 0, dp, 1, d, kt, 0, BK, false);
            }
            OnlineSoftmax.maskAndExponentiate(s, rows, group, shape.qPos0() + t0 - j0 + 1, rowMax, rowSum, 0, acc, dp);
            AttentionBlocks.loadKeyRows(shape, v, vType, b, kvh, j0, nk, vs, dp);
            TileGemm.mul(acc, 0, dp, rows, dp / L, s, 0, BK, 1, nk, vs, 0, dp, true);
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
}
