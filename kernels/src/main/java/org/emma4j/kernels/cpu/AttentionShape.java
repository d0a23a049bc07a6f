package org.emma4j.kernels.cpu;

import org.emma4j.kernels.DType;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorChecks;

/**
 * The validated dimensions of one causal grouped-query attention call: q is [batch, tq, hq, headDim],
 * k and v are [batch, tk, hkv, headDim], query t sits at position {@code qPos0 + t}.
 */
record AttentionShape(int batch, int tq, int tk, int hq, int hkv, int headDim, int qPos0) {

    /** Query heads per KV head. */
    int group() {
        return hq / hkv;
    }

    /** One past the last key any query sees: keys at or beyond it (the rest of a KV cache) are never read. */
    int keyEnd() {
        return qPos0 + tq;
    }

    /** Element offset of row (b, t, h) in a [batch, time, heads, headDim] tensor with {@code time} steps and {@code heads} heads. */
    long rowOffset(int b, int t, int time, int heads, int h) {
        return (((long) b * time + t) * heads + h) * headDim;
    }

    /** Checks q, k and v against each other and returns their dimensions. */
    static AttentionShape of(String op, Tensor q, Tensor k, Tensor v, int qPos0) {
        requireOperand(op, "q", q);
        requireOperand(op, "k", k);
        requireOperand(op, "v", v);
        TensorChecks.requireAttentionShapes(op, q, k, v, qPos0);
        long hq = q.dim(2);
        long hkv = k.dim(2);
        long tq = q.dim(1);
        long tk = k.dim(1);
        for (long d : new long[]{q.dim(0), tq, tk, hq, q.dim(3)}) {
            if (d > Integer.MAX_VALUE / 4) {
                throw new IllegalArgumentException(op + ": dimension " + d + " of q (" + q.name() + ") or k (" + k.name() + ") is too large");
            }
        }
        return new AttentionShape((int) q.dim(0), (int) tq, (int) tk, (int) hq, (int) hkv, (int) q.dim(3), qPos0);
    }

    /** Checks that {@code t} is a host tensor shaped like q. */
    void requireLikeQuery(String op, String role, Tensor t) {
        requireOperand(op, role, t);
        TensorChecks.requireShape(op, role, t, batch, tq, hq, headDim);
    }

    /** Checks that {@code t} is a host tensor shaped like k. */
    void requireLikeKey(String op, String role, Tensor t) {
        requireOperand(op, role, t);
        TensorChecks.requireShape(op, role, t, batch, tk, hkv, headDim);
    }

    /** Checks the F32 [batch, hq, tq] log-sum-exp tensor. */
    void requireLse(String op, Tensor lse) {
        TensorChecks.requireHost(op, "lse", lse);
        TensorChecks.requireDType(op, "lse", lse, DType.F32);
        TensorChecks.requireShape(op, "lse", lse, batch, hq, tq);
    }

    private static void requireOperand(String op, String role, Tensor t) {
        TensorChecks.requireHost(op, role, t);
        TensorChecks.requireDType(op, role, t, DType.F32, DType.BF16);
        TensorChecks.requireRank(op, role, t, 4);
    }
}
