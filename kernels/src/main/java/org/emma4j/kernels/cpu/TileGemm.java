package org.emma4j.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The small matrix product at the heart of the attention tiles, on float scratch arrays:
 * {@code C[m, :] (+)= Σ_k A(m, k) · B[k, :]} for m < M, over {@code nv} whole vectors of columns.
 * A is addressed with two strides, so the same kernel serves A and Aᵀ (P·V and Pᵀ·dO alike); B and C are
 * row-major with padded rows, so every column access is a whole, unmasked vector. A register block of
 * 4 rows × 4 vectors (16 accumulators) keeps the FMA units busy; edges fall back to 4×1, 1×4 and 1×1.
 */
final class TileGemm {
    private TileGemm() {
    }

    private static final VectorSpecies<Float> F = FloatRowIo.F;
    private static final int L = F.length();

    /**
     * @param c          output tile, row m at {@code cOff + m · ldc}
     * @param rows       M
     * @param nv         column vectors per row (columns = nv · L)
     * @param a          A(m, k) = {@code a[aOff + m · ams + k · aks]}
     * @param depth      K
     * @param b          B row k at {@code bOff + k · ldb}
     * @param accumulate add into C (true) or overwrite it (false)
     */
    static void mul(float[] c, int cOff, int ldc, int rows, int nv, float[] a, int aOff, int ams, int aks, int depth,
                    float[] b, int bOff, int ldb, boolean accumulate) {
        int m = 0;
        for (; m + 4 <= rows; m += 4) {
            int v = 0;
            for (; v + 4 <= nv; v += 4) {
                block4x4(c, cOff + m * ldc + v * L, ldc, a, aOff + m * ams, ams, aks, depth, b, bOff + v * L, ldb, accumulate);
            }
            for (; v < nv; v++) {
                block4x1(c, cOff + m * ldc + v * L, ldc, a, aOff + m * ams, ams, aks, depth, b, bOff + v * L, ldb, accumulate);
            }
        }
        for (; m < rows; m++) {
            int v = 0;
            for (; v + 4 <= nv; v += 4) {
                block1x4(c, cOff + m * ldc + v * L, a, aOff + m * ams, aks, depth, b, bOff + v * L, ldb, accumulate);
            }
            for (; v < nv; v++) {
                block1x1(c, cOff + m * ldc + v * L, a, aOff + m * ams, aks, depth, b, bOff + v * L, ldb, accumulate);
            }
        }
    }

    private static FloatVector init(float[] c, int at, boolean accumulate) {
        return accumulate ? FloatVector.fromArray(F, c, at) : FloatVector.zero(F);
    }

    private static void block4x4(float[] c, int c0, int ldc, float[] a, int a0, int ams, int aks, int depth,
                                 float[] b, int b0, int ldb, boolean acc) {
        int c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
        FloatVector r00 = init(c, c0, acc), r01 = init(c, c0 + L, acc), r02 = init(c, c0 + 2 * L, acc), r03 = init(c, c0 + 3 * L, acc);
        FloatVector r10 = init(c, c1, acc), r11 = init(c, c1 + L, acc), r12 = init(c, c1 + 2 * L, acc), r13 = init(c, c1 + 3 * L, acc);
        FloatVector r20 = init(c, c2, acc), r21 = init(c, c2 + L, acc), r22 = init(c, c2 + 2 * L, acc), r23 = init(c, c2 + 3 * L, acc);
        FloatVector r30 = init(c, c3, acc), r31 = init(c, c3 + L, acc), r32 = init(c, c3 + 2 * L, acc), r33 = init(c, c3 + 3 * L, acc);
        int ai = a0;
        int bi = b0;
        for (int k = 0; k < depth; k++, ai += aks, bi += ldb) {
            FloatVector b0v = FloatVector.fromArray(F, b, bi);
            FloatVector b1v = FloatVector.fromArray(F, b, bi + L);
            FloatVector b2v = FloatVector.fromArray(F, b, bi + 2 * L);
            FloatVector b3v = FloatVector.fromArray(F, b, bi + 3 * L);
            FloatVector x = FloatVector.broadcast(F, a[ai]);
            r00 = x.fma(b0v, r00);
            r01 = x.fma(b1v, r01);
            r02 = x.fma(b2v, r02);
            r03 = x.fma(b3v, r03);
            x = FloatVector.broadcast(F, a[ai + ams]);
            r10 = x.fma(b0v, r10);
            r11 = x.fma(b1v, r11);
            r12 = x.fma(b2v, r12);
            r13 = x.fma(b3v, r13);
            x = FloatVector.broadcast(F, a[ai + 2 * ams]);
            r20 = x.fma(b0v, r20);
            r21 = x.fma(b1v, r21);
            r22 = x.fma(b2v, r22);
            r23 = x.fma(b3v, r23);
            x = FloatVector.broadcast(F, a[ai + 3 * ams]);
            r30 = x.fma(b0v, r30);
            r31 = x.fma(b1v, r31);
            r32 = x.fma(b2v, r32);
            r33 = x.fma(b3v, r33);
        }
        r00.intoArray(c, c0);
        r01.intoArray(c, c0 + L);
        r02.intoArray(c, c0 + 2 * L);
        r03.intoArray(c, c0 + 3 * L);
        r10.intoArray(c, c1);
        r11.intoArray(c, c1 + L);
        r12.intoArray(c, c1 + 2 * L);
        r13.intoArray(c, c1 + 3 * L);
        r20.intoArray(c, c2);
        r21.intoArray(c, c2 + L);
        r22.intoArray(c, c2 + 2 * L);
        r23.intoArray(c, c2 + 3 * L);
        r30.intoArray(c, c3);
        r31.intoArray(c, c3 + L);
        r32.intoArray(c, c3 + 2 * L);
        r33.intoArray(c, c3 + 3 * L);
    }

    private static void block4x1(float[] c, int c0, int ldc, float[] a, int a0, int ams, int aks, int depth,
                                 float[] b, int b0, int ldb, boolean acc) {
        int c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
        FloatVector r0 = init(c, c0, acc), r1 = init(c, c1, acc), r2 = init(c, c2, acc), r3 = init(c, c3, acc);
        int ai = a0;
        int bi = b0;
        for (int k = 0; k < depth; k++, ai += aks, bi += ldb) {
            FloatVector bv = FloatVector.fromArray(F, b, bi);
            r0 = FloatVector.broadcast(F, a[ai]).fma(bv, r0);
            r1 = FloatVector.broadcast(F, a[ai + ams]).fma(bv, r1);
            r2 = FloatVector.broadcast(F, a[ai + 2 * ams]).fma(bv, r2);
            r3 = FloatVector.broadcast(F, a[ai + 3 * ams]).fma(bv, r3);
        }
        r0.intoArray(c, c0);
        r1.intoArray(c, c1);
        r2.intoArray(c, c2);
        r3.intoArray(c, c3);
    }

    private static void block1x4(float[] c, int c0, float[] a, int a0, int aks, int depth,
                                 float[] b, int b0, int ldb, boolean acc) {
        FloatVector r0 = init(c, c0, acc), r1 = init(c, c0 + L, acc), r2 = init(c, c0 + 2 * L, acc), r3 = init(c, c0 + 3 * L, acc);
        int ai = a0;
        int bi = b0;
        for (int k = 0; k < depth; k++, ai += aks, bi += ldb) {
            FloatVector x = FloatVector.broadcast(F, a[ai]);
            r0 = x.fma(FloatVector.fromArray(F, b, bi), r0);
            r1 = x.fma(FloatVector.fromArray(F, b, bi + L), r1);
            r2 = x.fma(FloatVector.fromArray(F, b, bi + 2 * L), r2);
            r3 = x.fma(FloatVector.fromArray(F, b, bi + 3 * L), r3);
        }
        r0.intoArray(c, c0);
        r1.intoArray(c, c0 + L);
        r2.intoArray(c, c0 + 2 * L);
        r3.intoArray(c, c0 + 3 * L);
    }

    private static void block1x1(float[] c, int c0, float[] a, int a0, int aks, int depth,
                                 float[] b, int b0, int ldb, boolean acc) {
        FloatVector r = init(c, c0, acc);
        int ai = a0;
        int bi = b0;
        for (int k = 0; k < depth; k++, ai += aks, bi += ldb) {
            r = FloatVector.broadcast(F, a[ai]).fma(FloatVector.fromArray(F, b, bi), r);
        }
        r.intoArray(c, c0);
    }
}
