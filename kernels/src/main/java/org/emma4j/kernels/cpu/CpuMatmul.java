package org.emma4j.kernels.cpu;

import org.emma4j.kernels.MatmulShape;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorChecks;

/**
 * {@code c = alpha · op(a) · op(b) + beta · c} on the CPU (see {@link org.emma4j.kernels.Backend#matmul}):
 * checks shapes and dtypes, resolves batching, and routes each matrix product to the packed, cache-blocked
 * {@link CpuGemm} or, for a few rows against a transposed weight (decode), to the streaming {@link CpuGemv}.
 * c must not overlap a or b.
 */
final class CpuMatmul {
    private CpuMatmul() {
    }

    private static final String OP = "matmul";
    /** Below this many flops per batch entry, batch entries run in parallel rather than each product. */
    private static final long SMALL_PRODUCT_FLOPS = 1L << 22;

    static void matmul(CpuPool pool, Tensor c, Tensor a, boolean transA, Tensor b, boolean transB, float alpha, float beta) {
        TensorChecks.requireHost(OP, "c", c);
        TensorChecks.requireHost(OP, "a", a);
        TensorChecks.requireHost(OP, "b", b);
        MatmulShape shape = MatmulShape.of(c, a, transA, b, transB);
        long m = shape.m();
        long n = shape.n();
        long k = shape.k();
        long batch = shape.batch();
        if (shape.empty()) {
            return;
        }
        requireIntRange(m * batch, n, k);

        GemmOperand opA = new GemmOperand(a.segment(), a.dtype(), 0, a.dim(-1), transA);
        GemmOperand opB = new GemmOperand(b.segment(), b.dtype(), 0, b.dim(-1), transB);
        GemmOperand out = new GemmOperand(c.segment(), c.dtype(), 0, n, false);
        boolean sharedB = b.rank() == 2;
        boolean sharedA = a.rank() == 2;
        if (batch > 1 && sharedB && !sharedA && !transA) {
            // A batch of row blocks against one weight is one taller product: the weight is packed (or streamed) once.
            multiply(pool, true, (int) (batch * m), (int) n, (int) k, opA, opB, out, alpha, beta);
            return;
        }
        long aStride = sharedA ? 0 : m * k;
        long bStride = sharedB ? 0 : k * n;
        long cStride = m * n;
        int entries = (int) batch;
        int mi = (int) m;
        int ni = (int) n;
        int ki = (int) k;
        if (entries > 1 && 2 * m * n * k < SMALL_PRODUCT_FLOPS) {
            pool.parallelFor(entries, e -> multiply(pool, false, mi, ni, ki,
                    opA.advance(e * aStride), opB.advance(e * bStride), out.advance(e * cStride), alpha, beta));
        } else {
            for (int e = 0; e < entries; e++) {
                multiply(pool, true, mi, ni, ki, opA.advance(e * aStride), opB.advance(e * bStride), out.advance(e * cStride), alpha, beta);
            }
        }
    }

    private static void multiply(CpuPool pool, boolean parallel, int m, int n, int k, GemmOperand a, GemmOperand b, GemmOperand c,
                                 float alpha, float beta) {
        if (b.trans() && m <= CpuGemv.MAX_ROWS) {
            CpuGemv.gemv(pool, parallel, m, n, k, a, b, c, alpha, beta);
        } else {
            CpuGemm.gemm(pool, parallel, m, n, k, a, b, c, alpha, beta);
        }
    }

    private static void requireIntRange(long rows, long n, long k) {
        long limit = Integer.MAX_VALUE / 64;
        if (rows > limit || n > limit || k > limit) {
            throw new IllegalArgumentException(OP + ": dimensions M=" + rows + ", N=" + n + ", K=" + k + " exceed the supported " + limit);
        }
    }
}
