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
        TensorChecks.requireSameShape(op, "k", k, "v", v);
        if (q.dim(0) != k.dim(0)) {
            throw new IllegalArgumentException(op + ": q (" + q.name() + ") has batch " + q.dim(0) + " but k (" + k.name()
                    + ") has batch " + k.dim(0) + "; they must match");
        }
        if (q.dim(3) < 1) {
            throw new IllegalArgumentException(op + ": q (" + q.name() + ") must have a positive head dimension, found " + q.dim(3));
        }
        if (q.dim(3) != k.dim(3)) {
            throw new IllegalArgumentException(op + ": q (" + q.name() + ") has head dimension " + q.dim(3) + " but k ("
                    + k.name() + ") has head dimension " + k.dim(3) + "; they must match");
        }
        long hq = q.dim(2);
        long hkv = k.dim(2);
        if (hkv == 0 || hq % hkv != 0) {
            throw new IllegalArgumentException(op + ": grouped-query attention needs the query heads of q (" + q.name() + ", "
                    + hq + ") to be a multiple of the key/value heads of k (" + k.name() + ", " + hkv + ")");
        }
        long tq = q.dim(1);
        long tk = k.dim(1);
        if (qPos0 < 0) {
            throw new IllegalArgumentException(op + ": the first query position qPos0 must be >= 0, found " + qPos0);
        }
        if (tk < qPos0 + tq) {
            throw new IllegalArgumentException(op + ": queries at positions " + qPos0 + " .. " + (qPos0 + tq - 1) + " need keys up to position "
                    + (qPos0 + tq - 1) + ", but k (" + k.name() + ") holds only " + tk + " positions (need Tk >= qPos0 + Tq = " + (qPos0 + tq) + ")");
        }
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
