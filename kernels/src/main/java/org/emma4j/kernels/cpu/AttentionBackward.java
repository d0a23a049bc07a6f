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
 * One worker's attention backward, FlashAttention-2 style: for each key block of one KV head it holds
 * K, Kᵀ and Vᵀ and accumulates dK and dV in scratch while sweeping every query row (of all the query heads
 * sharing that KV head) that sees the block, recomputing P = exp(S − lse) and dS = P ∘ (dP − Dᵢ) with
 * Dᵢ = rowsum(dO ∘ O). dQ of the group accumulates in a float array owned by the caller, so no two workers
 * ever write the same gradient rows.
 */
final class AttentionBackward {
    private static final VectorSpecies<Float> F = FloatRowIo.F;
    private static final int L = AttentionBlocks.L;
    private static final int BK = AttentionBlocks.BK;
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;

    private final AttentionShape shape;
    private final float scale;
    private final int dp;
    private final int subPositions;
    private final MemorySegment dk, dv, dout, out, lse, q, k, v;
    private final DType dkType, dvType, doutType, outType, qType, kType, vType;

    private final float[] qs;     // [rows][dp] scaled queries of one query sub-block
    private final float[] dos;    // [rows][dp] output gradients of that sub-block
    private final float[] p;      // [rows][BK] probabilities
    private final float[] ds;     // [rows][BK] dP, then dS
    private final float[] ks;     // [BK][dp]
    private final float[] kt;     // [headDim][BK]
    private final float[] vs;     // [BK][dp]
    private final float[] vt;     // [headDim][BK]
    private final float[] dkAcc;  // [BK][dp]
    private final float[] dvAcc;  // [BK][dp]
    private final float[] rowLse; // [tq · group]
    private final float[] rowDot; // [tq · group]: Dᵢ

    /** @param subPositions query positions per sub-block (rows = subPositions · group) */
    AttentionBackward(AttentionShape shape, Tensor dk, Tensor dv, Tensor dout, Tensor out, Tensor lse,
                      Tensor q, Tensor k, Tensor v, float scale, int subPositions) {
        this.shape = shape;
        this.scale = scale;
        this.dp = AttentionBlocks.paddedHeadDim(shape.headDim());
        this.subPositions = subPositions;
        this.dk = dk.segment();
        this.dv = dv.segment();
        this.dout = dout.segment();
        this.out = out.segment();
        this.lse = lse.segment();
        this.q = q.segment();
        this.k = k.segment();
        this.v = v.segment();
        this.dkType = dk.dtype();
        this.dvType = dv.dtype();
        this.doutType = dout.dtype();
        this.outType = out.dtype();
        this.qType = q.dtype();
        this.kType = k.dtype();
        this.vType = v.dtype();
        int rows = subPositions * shape.group();
        this.qs = new float[rows * dp];
        this.dos = new float[rows * dp];
        this.p = new float[rows * BK];
        this.ds = new float[rows * BK];
        this.ks = new float[BK * dp];
        this.kt = new float[shape.headDim() * BK];
        this.vs = new float[BK * dp];
        this.vt = new float[shape.headDim() * BK];
        this.dkAcc = new float[BK * dp];
        this.dvAcc = new float[BK * dp];
        this.rowLse = new float[shape.tq() * shape.group()];
        this.rowDot = new float[shape.tq() * shape.group()];
    }

    /** Floats of the dQ accumulator of one (batch, KV head) group: row t·group + g, stride dp. */
    int dqAccumulatorSize() {
        return shape.tq() * shape.group() * dp;
    }

    /**
     * Adds into dk and dv for key blocks chunk, chunk + chunks, ... of batch b, KV head kvh, and adds the
     * unscaled dQ contributions of those blocks into {@code dqAcc} (zeroed by the caller).
     */
    void runChunk(int b, int kvh, int chunk, int chunks, float[] dqAcc) {
        prepareRows(b, kvh);
        int keyEnd = shape.keyEnd();
        int blocks = (keyEnd + BK - 1) / BK;
        for (int kb = chunk; kb < blocks; kb += chunks) {
            int j0 = kb * BK;
            int nk = Math.min(BK, keyEnd - j0);
            AttentionBlocks.loadKeyRows(shape, k, kType, b, kvh, j0, nk, ks, dp);
            AttentionBlocks.transpose(ks, dp, shape.headDim(), nk, kt);
            AttentionBlocks.loadKeyRows(shape, v, vType, b, kvh, j0, nk, vs, dp);
            AttentionBlocks.transpose(vs, dp, shape.headDim(), nk, vt);
            Arrays.fill(dkAcc, 0, nk * dp, 0f);
            Arrays.fill(dvAcc, 0, nk * dp, 0f);
            int tStart = Math.max(0, j0 - shape.qPos0());
            for (int t0 = tStart; t0 < shape.tq(); t0 += subPositions) {
                subBlock(b, kvh, j0, nk, t0, Math.min(subPositions, shape.tq() - t0), dqAcc);
            }
            int d = shape.headDim();
            for (int j = 0; j < nk; j++) {
                long at = shape.rowOffset(b, j0 + j, shape.tk(), shape.hkv(), kvh);
                FloatRowIo.addInto(dk, dkType, at, d, dkAcc, j * dp, 1f);
                FloatRowIo.addInto(dv, dvType, at, d, dvAcc, j * dp, 1f);
            }
        }
    }

    /** dq[b, t, h] += scale · dqAcc[row], for every row of the group (b, kvh). */
    static void addDq(AttentionShape shape, float scale, MemorySegment dq, DType dqType, int b, int kvh, float[] dqAcc) {
        int group = shape.group();
        int dp = AttentionBlocks.paddedHeadDim(shape.headDim());
        for (int t = 0; t < shape.tq(); t++) {
            for (int g = 0; g < group; g++) {
                long at = shape.rowOffset(b, t, shape.tq(), shape.hq(), kvh * group + g);
                FloatRowIo.addInto(dq, dqType, at, shape.headDim(), dqAcc, (t * group + g) * dp, scale);
            }
        }
    }

    /** Each row's saved log-sum-exp and Dᵢ = Σ dO ∘ O (the softmax-gradient correction). */
    private void prepareRows(int b, int kvh) {
        int group = shape.group();
        int d = shape.headDim();
        for (int t = 0; t < shape.tq(); t++) {
            for (int g = 0; g < group; g++) {
                int h = kvh * group + g;
                int r = t * group + g;
                rowLse[r] = lse.getAtIndex(F32, ((long) b * shape.hq() + h) * shape.tq() + t);
                long at = shape.rowOffset(b, t, shape.tq(), shape.hq(), h);
                FloatRowIo.load(dout, doutType, at, d, dos, 0, 1f);
                FloatRowIo.load(out, outType, at, d, qs, 0, 1f);
                FloatVector sum = FloatVector.zero(F);
                for (int i = 0; i < dp; i += L) {
                    sum = FloatVector.fromArray(F, dos, i).fma(FloatVector.fromArray(F, qs, i), sum);
                }
                rowDot[r] = LaneSums.sum(sum);
            }
        }
    }

    /** One query sub-block (positions t0 .. t0+positions, all heads of the group) against one key block. */
    private void subBlock(int b, int kvh, int j0, int nk, int t0, int positions, float[] dqAcc) {
        int group = shape.group();
        int d = shape.headDim();
        int rows = positions * group;
        for (int tl = 0; tl < positions; tl++) {
            for (int g = 0; g < group; g++) {
                long at = shape.rowOffset(b, t0 + tl, shape.tq(), shape.hq(), kvh * group + g);
                int r = (tl * group + g) * dp;
                FloatRowIo.load(q, qType, at, d, qs, r, scale);
                FloatRowIo.load(dout, doutType, at, d, dos, r, 1f);
            }
        }
        TileGemm.mul(p, 0, BK, rows, BK / L, qs, 0, dp, 1, d, kt, 0, BK, false);   // S = (scale·Q) Kᵀ
        TileGemm.mul(ds, 0, BK, rows, BK / L, dos, 0, dp, 1, d, vt, 0, BK, false); // dP = dO Vᵀ
        int rowBase = t0 * group;
        for (int r = 0; r < rows; r++) {
            int so = r * BK;
            int firstMasked = shape.qPos0() + t0 + r / group - j0 + 1;
            if (firstMasked < BK) {
                Arrays.fill(p, so + Math.max(0, firstMasked), so + BK, Float.NEGATIVE_INFINITY);
            }
            float rl = rowLse[rowBase + r];
            float rd = rowDot[rowBase + r];
            for (int j = 0; j < BK; j += L) {
                FloatVector pv = VectorMath.exp(FloatVector.fromArray(F, p, so + j).sub(rl));
                pv.intoArray(p, so + j);
                pv.mul(FloatVector.fromArray(F, ds, so + j).sub(rd)).intoArray(ds, so + j);
            }
        }
        // dV += Pᵀ dO and dK += dSᵀ (scale·Q): A(m = key j, k = row r) = P[r][j].
        TileGemm.mul(dvAcc, 0, dp, nk, dp / L, p, 0, 1, BK, rows, dos, 0, dp, true);
        TileGemm.mul(dkAcc, 0, dp, nk, dp / L, ds, 0, 1, BK, rows, qs, 0, dp, true);
        // dQ += dS K (scaled once at the end).
        TileGemm.mul(dqAcc, rowBase * dp, dp, rows, dp / L, ds, 0, BK, 1, nk, ks, 0, dp, true);
    }
}
