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
}
