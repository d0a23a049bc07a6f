package org.emma4j.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The GEMM register tile: {@value #MR} rows of C by {@code NR = 2 · vector length} columns (8 × 32 with 512-bit
 * vectors), held in 16 vector accumulators for a whole K block. Each step over k loads two vectors of the packed
 * B micro-panel, broadcasts the eight packed A values of that k and issues 16 independent FMAs, enough to cover
 * the FMA latency on two ports while the loads (2 vectors + 8 broadcasts) stay under the load ports' rate.
 * Every accumulator is a separate local so that C2 keeps all of them in vector registers: no arrays, no loops
 * over rows. Edges never reach this code: packing pads A to MR rows and B to NR columns with zeros, and C is a
 * padded scratch tile.
 */
final class GemmMicroKernel {
    private GemmMicroKernel() {
    }

    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Rows of the register tile (values broadcast from packed A). */
    static final int MR = 8;
    /** Columns of the register tile (two vectors of packed B). */
    static final int NR = 2 * F.length();

    /**
     * {@code c[r, j] += Σ_k a[k·MR + r] · b[k·NR + j]} for the MR × NR tile at {@code c[co + r·ldc + j]}.
     * {@code a} is a packed A micro-panel (kc × MR, k-major), {@code b} a packed B micro-panel (kc × NR, k-major).
     *
     * <p>The shape of this code is measured, not incidental (C2 on an AVX-512 core; it only schedules what it
     * is given). Two k steps per iteration: C2 does not unroll a body this large, and one step per iteration
     * leaves ~8 scalar ops (index arithmetic, compare, branch) per 16 FMAs competing for the FMA ports. Written
     * as {@code k + 2 <= kc}, the loop keeps per-iteration range checks, and those keep C2 from hoisting all
     * 16 broadcasts of both steps ahead of the FMAs, which with 16 accumulators spills two of them to the stack
     * (as the plain {@code k < even} form did). And the tile is always accumulated into (the caller zeroes it
     * first): an overwrite-or-accumulate flag made the method large enough to be scheduled worse. Together
     * ~15–20% faster than the one-step loop, 92–97% of the core's pure-FMA rate.
     */
    static void multiply(float[] a, int ao, float[] b, int bo, int kc, float[] c, int co, int ldc) {
        final int v = F.length();
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        FloatVector c40 = FloatVector.zero(F), c41 = FloatVector.zero(F);
        FloatVector c50 = FloatVector.zero(F), c51 = FloatVector.zero(F);
        FloatVector c60 = FloatVector.zero(F), c61 = FloatVector.zero(F);
        FloatVector c70 = FloatVector.zero(F), c71 = FloatVector.zero(F);
        int k = 0;
        for (; k + 2 <= kc; k += 2) {
            {
                int ak = ao + k * MR;
                int bk = bo + k * NR;
                FloatVector b0 = FloatVector.fromArray(F, b, bk);
                FloatVector b1 = FloatVector.fromArray(F, b, bk + v);
                FloatVector a0 = FloatVector.broadcast(F, a[ak + 0]);
                c00 = b0.fma(a0, c00); c01 = b1.fma(a0, c01);
                FloatVector a1 = FloatVector.broadcast(F, a[ak + 1]);
                c10 = b0.fma(a1, c10); c11 = b1.fma(a1, c11);
                FloatVector a2 = FloatVector.broadcast(F, a[ak + 2]);
                c20 = b0.fma(a2, c20); c21 = b1.fma(a2, c21);
                FloatVector a3 = FloatVector.broadcast(F, a[ak + 3]);
                c30 = b0.fma(a3, c30); c31 = b1.fma(a3, c31);
                FloatVector a4 = FloatVector.broadcast(F, a[ak + 4]);
                c40 = b0.fma(a4, c40); c41 = b1.fma(a4, c41);
                FloatVector a5 = FloatVector.broadcast(F, a[ak + 5]);
                c50 = b0.fma(a5, c50); c51 = b1.fma(a5, c51);
                FloatVector a6 = FloatVector.broadcast(F, a[ak + 6]);
                c60 = b0.fma(a6, c60); c61 = b1.fma(a6, c61);
                FloatVector a7 = FloatVector.broadcast(F, a[ak + 7]);
                c70 = b0.fma(a7, c70); c71 = b1.fma(a7, c71);
            }
            {
                int ak = ao + (k + 1) * MR;
                int bk = bo + (k + 1) * NR;
                FloatVector b0 = FloatVector.fromArray(F, b, bk);
                FloatVector b1 = FloatVector.fromArray(F, b, bk + v);
                FloatVector a0 = FloatVector.broadcast(F, a[ak + 0]);
                c00 = b0.fma(a0, c00); c01 = b1.fma(a0, c01);
                FloatVector a1 = FloatVector.broadcast(F, a[ak + 1]);
                c10 = b0.fma(a1, c10); c11 = b1.fma(a1, c11);
                FloatVector a2 = FloatVector.broadcast(F, a[ak + 2]);
                c20 = b0.fma(a2, c20); c21 = b1.fma(a2, c21);
                FloatVector a3 = FloatVector.broadcast(F, a[ak + 3]);
                c30 = b0.fma(a3, c30); c31 = b1.fma(a3, c31);
                FloatVector a4 = FloatVector.broadcast(F, a[ak + 4]);
                c40 = b0.fma(a4, c40); c41 = b1.fma(a4, c41);
                FloatVector a5 = FloatVector.broadcast(F, a[ak + 5]);
                c50 = b0.fma(a5, c50); c51 = b1.fma(a5, c51);
                FloatVector a6 = FloatVector.broadcast(F, a[ak + 6]);
                c60 = b0.fma(a6, c60); c61 = b1.fma(a6, c61);
                FloatVector a7 = FloatVector.broadcast(F, a[ak + 7]);
                c70 = b0.fma(a7, c70); c71 = b1.fma(a7, c71);
            }
        }
        for (; k < kc; k++) {
            int ak = ao + k * MR;
            int bk = bo + k * NR;
            FloatVector b0 = FloatVector.fromArray(F, b, bk);
            FloatVector b1 = FloatVector.fromArray(F, b, bk + v);
            FloatVector a0 = FloatVector.broadcast(F, a[ak + 0]);
            c00 = b0.fma(a0, c00); c01 = b1.fma(a0, c01);
            FloatVector a1 = FloatVector.broadcast(F, a[ak + 1]);
            c10 = b0.fma(a1, c10); c11 = b1.fma(a1, c11);
            FloatVector a2 = FloatVector.broadcast(F, a[ak + 2]);
            c20 = b0.fma(a2, c20); c21 = b1.fma(a2, c21);
            FloatVector a3 = FloatVector.broadcast(F, a[ak + 3]);
            c30 = b0.fma(a3, c30); c31 = b1.fma(a3, c31);
            FloatVector a4 = FloatVector.broadcast(F, a[ak + 4]);
            c40 = b0.fma(a4, c40); c41 = b1.fma(a4, c41);
            FloatVector a5 = FloatVector.broadcast(F, a[ak + 5]);
            c50 = b0.fma(a5, c50); c51 = b1.fma(a5, c51);
            FloatVector a6 = FloatVector.broadcast(F, a[ak + 6]);
            c60 = b0.fma(a6, c60); c61 = b1.fma(a6, c61);
            FloatVector a7 = FloatVector.broadcast(F, a[ak + 7]);
            c70 = b0.fma(a7, c70); c71 = b1.fma(a7, c71);
        }
        c00.add(FloatVector.fromArray(F, c, co)).intoArray(c, co);
        c01.add(FloatVector.fromArray(F, c, co + v)).intoArray(c, co + v);
        c10.add(FloatVector.fromArray(F, c, co + 1 * ldc)).intoArray(c, co + 1 * ldc);
        c11.add(FloatVector.fromArray(F, c, co + 1 * ldc + v)).intoArray(c, co + 1 * ldc + v);
        c20.add(FloatVector.fromArray(F, c, co + 2 * ldc)).intoArray(c, co + 2 * ldc);
        c21.add(FloatVector.fromArray(F, c, co + 2 * ldc + v)).intoArray(c, co + 2 * ldc + v);
        c30.add(FloatVector.fromArray(F, c, co + 3 * ldc)).intoArray(c, co + 3 * ldc);
        c31.add(FloatVector.fromArray(F, c, co + 3 * ldc + v)).intoArray(c, co + 3 * ldc + v);
        c40.add(FloatVector.fromArray(F, c, co + 4 * ldc)).intoArray(c, co + 4 * ldc);
        c41.add(FloatVector.fromArray(F, c, co + 4 * ldc + v)).intoArray(c, co + 4 * ldc + v);
        c50.add(FloatVector.fromArray(F, c, co + 5 * ldc)).intoArray(c, co + 5 * ldc);
        c51.add(FloatVector.fromArray(F, c, co + 5 * ldc + v)).intoArray(c, co + 5 * ldc + v);
        c60.add(FloatVector.fromArray(F, c, co + 6 * ldc)).intoArray(c, co + 6 * ldc);
        c61.add(FloatVector.fromArray(F, c, co + 6 * ldc + v)).intoArray(c, co + 6 * ldc + v);
        c70.add(FloatVector.fromArray(F, c, co + 7 * ldc)).intoArray(c, co + 7 * ldc);
        c71.add(FloatVector.fromArray(F, c, co + 7 * ldc + v)).intoArray(c, co + 7 * ldc + v);
    }
}
