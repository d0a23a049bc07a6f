package org.emma4j.kernels;

import java.util.Arrays;

/**
 * The checked dimensions of one {@link Backend#matmul} call, shared by every backend: op(a) is [m, k], op(b)
 * is [k, n], c is [m, n], behind {@code batch} entries (the product of c's leading dimensions; an operand of
 * rank 2 is shared by all of them). Messages name the op, the operand, its shape and the transpose flag.
 */
public record MatmulShape(long batch, long m, long n, long k) {
    private static final String OP = "matmul";

    /** Checks dtypes, ranks, batch dimensions and the inner and outer sizes of c = op(a)·op(b). */
    public static MatmulShape of(Tensor c, Tensor a, boolean transA, Tensor b, boolean transB) {
        TensorChecks.requireDType(OP, "c", c, DType.F32, DType.BF16);
        TensorChecks.requireDType(OP, "a", a, DType.F32, DType.BF16, DType.F16);
        TensorChecks.requireDType(OP, "b", b, DType.F32, DType.BF16, DType.F16);
        requireMatrix("c", c);
        requireMatrix("a", a);
        requireMatrix("b", b);
        long[] batchDims = Arrays.copyOf(c.shape(), c.rank() - 2);
        requireBatch("a", a, batchDims);
        requireBatch("b", b, batchDims);
        long m = c.dim(-2);
        long n = c.dim(-1);
        long opARows = transA ? a.dim(-1) : a.dim(-2);
        long k = transA ? a.dim(-2) : a.dim(-1);
        long opBRows = transB ? b.dim(-1) : b.dim(-2);
        long opBCols = transB ? b.dim(-2) : b.dim(-1);
        if (opARows != m) {
            throw new IllegalArgumentException(OP + ": op(a) (" + a.name() + ", shape " + Arrays.toString(a.shape()) + ", transA=" + transA
                    + ") has " + opARows + " rows but c (" + c.name() + ", shape " + Arrays.toString(c.shape()) + ") has M=" + m);
        }
        if (opBRows != k) {
            throw new IllegalArgumentException(OP + ": op(b) (" + b.name() + ", shape " + Arrays.toString(b.shape()) + ", transB=" + transB
                    + ") has " + opBRows + " rows but op(a) (" + a.name() + ", shape " + Arrays.toString(a.shape()) + ", transA=" + transA
                    + ") has K=" + k + " columns; they must match");
        }
        if (opBCols != n) {
            throw new IllegalArgumentException(OP + ": op(b) (" + b.name() + ", shape " + Arrays.toString(b.shape()) + ", transB=" + transB
                    + ") has " + opBCols + " columns but c (" + c.name() + ", shape " + Arrays.toString(c.shape()) + ") has N=" + n);
        }
        long batch = 1;
        for (long d : batchDims) {
            batch *= d;
        }
        return new MatmulShape(batch, m, n, k);
    }

    /** True when nothing is to be computed (an empty c). */
    public boolean empty() {
        return m == 0 || n == 0 || batch == 0;
    }

    private static void requireMatrix(String role, Tensor t) {
        if (t.rank() < 2) {
            throw new IllegalArgumentException(OP + ": " + role + " (" + t.name() + ") must have rank 2 or more ([..., rows, cols]), found shape "
                    + Arrays.toString(t.shape()));
        }
    }

    /** An operand is either one matrix shared by every batch entry, or has exactly c's batch dimensions. */
    private static void requireBatch(String role, Tensor t, long[] batchDims) {
        if (t.rank() == 2) {
            return;
        }
        long[] own = Arrays.copyOf(t.shape(), t.rank() - 2);
        if (!Arrays.equals(own, batchDims)) {
            throw new IllegalArgumentException(OP + ": " + role + " (" + t.name() + ", shape " + Arrays.toString(t.shape())
                    + ") must be rank 2 (shared by the batch) or have c's batch dimensions " + Arrays.toString(batchDims)
                    + ", found batch dimensions " + Arrays.toString(own));
        }
    }
}
