package org.emma4j.kernels.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.Tensor;

/**
 * Forward attention for a few query rows per KV head — decoding (Tq = 1) or a short chunk — over a long KV
 * cache, split along the keys as in flash-decoding: each task takes a contiguous range of cache positions
 * for every head at once (so it streams memory in order, which the hardware prefetches, instead of
 * hopping between heads' rows), keeps a partial running max, sum and unnormalised output per query row,
 * and {@link #merge} rescales and adds the partials. Work spreads over the pool however few heads or
 * sequences there are, and the scratch is a key block and the query rows, independent of the cache length.
 */
final class AttentionDecode {
    private static final VectorSpecies<Float> F = FloatRowIo.F;
    private static final int L = AttentionBlocks.L;
    private static final int BK = AttentionBlocks.BK;
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;

    /** One task's running softmax state for every query row of one sequence; rows ordered (kv head, t, g). */
    static final class Partial {
        final float[] acc;
        final float[] max;
        final float[] sum;

        Partial(int rows, int dp) {
            acc = new float[rows * dp];
            max = new float[rows];
            sum = new float[rows];
            Arrays.fill(max, Float.NEGATIVE_INFINITY);
        }
    }

    private final AttentionShape shape;
    private final float scale;
    private final int dp;
    private final int rowsPerHead;
    private final MemorySegment q, k, v;
    private final DType qType, kType, vType;
    private final float[] qs;   // [hkv][tq][group][dp] scaled queries
    private final float[] ks;   // [BK][hkv][dp] keys of one block, every head
    private final float[] vs;   // [BK][hkv][dp]
    private final float[] s;    // [rowsPerHead][BK]

    AttentionDecode(AttentionShape shape, Tensor q, Tensor k, Tensor v, float scale) {
        this.shape = shape;
        this.scale = scale;
        this.dp = AttentionBlocks.paddedHeadDim(shape.headDim());
        this.rowsPerHead = shape.tq() * shape.group();
        this.q = q.segment();
        this.k = k.segment();
        this.v = v.segment();
        this.qType = q.dtype();
        this.kType = k.dtype();
        this.vType = v.dtype();
        this.qs = new float[shape.hkv() * rowsPerHead * dp];
        this.ks = new float[BK * shape.hkv() * dp];
        this.vs = new float[BK * shape.hkv() * dp];
        this.s = new float[rowsPerHead * BK];
    }

    static int rows(AttentionShape shape) {
        return shape.hq() * shape.tq();
    }

    /** Keys [k0, k1) of sequence b against all its query rows, as a partial softmax. */
    Partial runChunk(int b, int k0, int k1) {
        int d = shape.headDim();
        int hkv = shape.hkv();
        int group = shape.group();
        for (int h = 0; h < hkv; h++) {
            for (int t = 0; t < shape.tq(); t++) {
                for (int g = 0; g < group; g++) {
                    long at = shape.rowOffset(b, t, shape.tq(), shape.hq(), h * group + g);
                    FloatRowIo.load(q, qType, at, d, qs, ((h * shape.tq() + t) * group + g) * dp, scale);
                }
            }
        }
        Partial part = new Partial(rows(shape), dp);
        int stride = hkv * dp;
        for (int j0 = k0; j0 < k1; j0 += BK) {
            int nk = Math.min(BK, k1 - j0);
            for (int j = 0; j < nk; j++) {
                for (int h = 0; h < hkv; h++) {
                    long at = shape.rowOffset(b, j0 + j, shape.tk(), hkv, h);
                    FloatRowIo.load(k, kType, at, d, ks, j * stride + h * dp, 1f);
                    FloatRowIo.load(v, vType, at, d, vs, j * stride + h * dp, 1f);
                }
            }
            for (int h = 0; h < hkv; h++) {
                int rowBase = h * rowsPerHead;
                OnlineSoftmax.dotScores(qs, rowBase * dp, rowsPerHead, dp, ks, h * dp, stride, nk, s);
                OnlineSoftmax.maskAndExponentiate(s, rowsPerHead, group, shape.qPos0() - j0 + 1,
                        part.max, part.sum, rowBase, part.acc, dp);
                TileGemm.mul(part.acc, rowBase * dp, dp, rowsPerHead, dp / L, s, 0, BK, 1, nk, vs, h * dp, stride, true);
            }
        }
        return part;
    }

    /**
     * Combines the partials of sequence b (their key ranges together cover every visible key): with
     * m = max mᵢ, out = Σ e^(mᵢ−m)·accᵢ / Σ e^(mᵢ−m)·sumᵢ and lse = m + log Σ e^(mᵢ−m)·sumᵢ.
     */
    static void merge(AttentionShape shape, Partial[] parts, int from, int count, int b, Tensor out, Tensor lse) {
        int dp = AttentionBlocks.paddedHeadDim(shape.headDim());
        int group = shape.group();
        MemorySegment outSeg = out.segment();
        MemorySegment lseSeg = lse == null ? null : lse.segment();
        float[] row = new float[dp];
        for (int h = 0; h < shape.hkv(); h++) {
            for (int t = 0; t < shape.tq(); t++) {
                for (int g = 0; g < group; g++) {
                    int r = (h * shape.tq() + t) * group + g;
                    float m = Float.NEGATIVE_INFINITY;
                    for (int c = from; c < from + count; c++) {
                        m = Math.max(m, parts[c].max[r]);
                    }
                    Arrays.fill(row, 0f);
                    float sum = 0;
                    for (int c = from; c < from + count; c++) {
                        Partial p = parts[c];
                        if (p.max[r] == Float.NEGATIVE_INFINITY) {
                            continue; // saw no key: contributes nothing
                        }
                        float w = (float) Math.exp(p.max[r] - m);
                        sum += w * p.sum[r];
                        for (int i = 0; i < dp; i += L) {
                            FloatVector.fromArray(F, p.acc, r * dp + i).mul(w).add(FloatVector.fromArray(F, row, i)).intoArray(row, i);
                        }
                    }
                    int head = h * group + g;
                    FloatRowIo.store(outSeg, out.dtype(), shape.rowOffset(b, t, shape.tq(), shape.hq(), head), shape.headDim(), row, 0, 1f / sum);
                    if (lseSeg != null) {
                        lseSeg.setAtIndex(F32, ((long) b * shape.hq() + head) * shape.tq() + t, m + (float) Math.log(sum));
                    }
                }
            }
        }
    }
}
