package org.emma4j.kernels;

import java.util.Arrays;

/** Argument checks shared by every backend, with messages that say what was expected and what was found. */
public final class TensorChecks {
    private TensorChecks() {
    }

    /** Fails unless {@code t} has exactly these dimensions. */
    public static void requireShape(String op, String role, Tensor t, long... expected) {
        if (!Arrays.equals(t.shape(), expected)) {
            throw new IllegalArgumentException(op + ": " + role + " (" + t.name() + ") must have shape " + Arrays.toString(expected)
                    + ", found " + Arrays.toString(t.shape()));
        }
    }

    /** Fails unless {@code t} has one of these dtypes. */
    public static void requireDType(String op, String role, Tensor t, DType... allowed) {
        for (DType d : allowed) {
            if (t.dtype() == d) {
                return;
            }
        }
        throw new IllegalArgumentException(op + ": " + role + " (" + t.name() + ") must be " + Arrays.toString(allowed)
                + ", found " + t.dtype());
    }

    /** Fails unless both tensors have the same number of elements. */
    public static void requireSameSize(String op, String roleA, Tensor a, String roleB, Tensor b) {
        if (a.size() != b.size()) {
            throw new IllegalArgumentException(op + ": " + roleA + " (" + a.name() + ", shape " + Arrays.toString(a.shape()) + ") and "
                    + roleB + " (" + b.name() + ", shape " + Arrays.toString(b.shape()) + ") must have the same number of elements");
        }
    }

    /** Fails unless both tensors have the same shape. */
    public static void requireSameShape(String op, String roleA, Tensor a, String roleB, Tensor b) {
        if (!a.sameShape(b)) {
            throw new IllegalArgumentException(op + ": " + roleA + " (" + a.name() + ") has shape " + Arrays.toString(a.shape())
                    + " but " + roleB + " (" + b.name() + ") has shape " + Arrays.toString(b.shape()) + "; they must match");
        }
    }

    /** Fails unless the tensor has this rank. */
    public static void requireRank(String op, String role, Tensor t, int rank) {
        if (t.rank() != rank) {
            throw new IllegalArgumentException(op + ": " + role + " (" + t.name() + ") must have rank " + rank
                    + ", found shape " + Arrays.toString(t.shape()));
        }
    }

    /** Fails unless the tensor is in host memory (for the CPU backend). */
    public static void requireHost(String op, String role, Tensor t) {
        if (!t.isHost()) {
            throw new IllegalArgumentException(op + ": " + role + " (" + t.name() + ") is device memory; the CPU backend needs host tensors");
        }
    }

    /**
     * The backend-independent checks of causal grouped-query attention operands (each already rank 4):
     * k and v alike, batch and head dimension shared with q, query heads a multiple of KV heads, and keys
     * covering every query position {@code qPos0 .. qPos0 + Tq - 1}.
     */
    public static void requireAttentionShapes(String op, Tensor q, Tensor k, Tensor v, int qPos0) {
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
    }

    /**
     * The backend-independent checks of a rotary embedding's operands (dtypes and placement checked by the
     * backend): x of rank 4 [B, T, H, D] with an even D, a [2, maxPositions, D/2] cos/sin table, and table rows
     * for every position {@code pos0 .. pos0 + T - 1}.
     */
    public static void requireRopeShapes(String op, String role, Tensor x, Tensor cosSin, int pos0) {
        requireRank(op, role, x, 4);
        requireRank(op, "cosSin", cosSin, 3);
        long d = x.dim(3);
        if (d % 2 != 0) {
            throw new IllegalArgumentException(op + ": " + role + " (" + x.name() + ") must have an even head dimension to rotate pairs, found " + d);
        }
        long maxPositions = cosSin.dim(1);
        requireShape(op, "cosSin", cosSin, 2, maxPositions, d / 2);
        long steps = x.dim(1);
        if (pos0 < 0 || pos0 + steps > maxPositions) {
            throw new IllegalArgumentException(op + ": positions " + pos0 + " .. " + (pos0 + steps - 1) + " of " + role + " (" + x.name()
                    + ") need a cos/sin table of at least pos0 + T = " + (pos0 + steps) + " positions, but cosSin (" + cosSin.name()
                    + ") holds " + maxPositions);
        }
    }
}
