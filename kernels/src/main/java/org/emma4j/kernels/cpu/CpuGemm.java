package org.emma4j.kernels.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * Blocked GEMM for one matrix, GotoBLAS style: {@code c = alpha · op(a) · op(b) + beta · c}, M × N × K.
 *
 * <p>Loops, outermost first: column panels of op(b) of up to NC columns, packed once (all of K) into an array
 * shared by all threads, NC sized so that it stays within {@link #PACKED_B_FLOATS}; then tasks of MC rows × a run
 * of NR-panels of that column panel, handed out dynamically to the pool's threads. A task packs its MC rows of
 * op(a) (all of K, scaled by alpha); then, for each run of up to TILE_PANELS panels, walks K in blocks of KC,
 * running the micro-kernel over every MR × NR tile: the B micro-panel (KC × NR floats, 32 KiB) stays in L1 while
 * the A micro-panels stream from L2. That tile of C is accumulated in a float scratch tile across all of K and
 * written once at the end, applying beta and rounding to C's dtype, so BF16 outputs are rounded exactly once and
 * {@code beta == 0} never reads C.
 */
final class CpuGemm {
    private CpuGemm() {
    }

    static final int MR = GemmMicroKernel.MR;
    static final int NR = GemmMicroKernel.NR;
    /** K block: a B micro-panel of KC × NR floats (32 KiB with NR = 32) fits the 48 KiB L1 with room for A. */
    static final int KC = 256;
    /**
     * Largest M block: MC × KC floats of packed A (256 KiB) per K block stay in L2 beside the C tile, and each B
     * micro-panel, fetched from L3 into L1, serves MC / MR = 32 micro-kernel calls. (MC = 64 made the B stream
     * the bottleneck: the blocked loops ran at ~105 GFLOP/s on a core where the micro-kernel alone does ~150;
     * MC = 256 runs them at ~135.)
     */
    static final int MC = 256;
    /** Smallest M block: below it, each B micro-panel would be fetched into L1 for too little work. */
    static final int MC_MIN = 64;
    /**
     * The most floats of packed op(b) held at once (64 MiB). Every column panel beyond the first packs op(a)
     * again, so a panel should span all of N at training shapes: at 16 MiB, dX of a 2048 × 8192 weight
     * (K = 8192) was cut into four panels and packed its 2048 × 8192 op(a) four times, ~10% of the product.
     */
    static final long PACKED_B_FLOATS = 16L << 20;
    /** The widest column panel of packed op(b). */
    static final int NC_MAX = 8192;
    /** B panels packed per task when B is read along its rows: runs of 2 KiB, short enough to share out. */
    private static final int PACK_PANELS = 16;
    /**
     * Columns of C accumulated at once, in NR panels: the C tile (at most MC × 512 floats, 512 KiB) stays in L2
     * beside the A block while every K block passes over it, even when the column panel is NC_MAX wide.
     */
    static final int TILE_PANELS = 16;

    /** {@code c[m, n] = alpha · op(a) · op(b) + beta · c}, parallel over the pool when {@code parallel}. */
    static void gemm(CpuPool pool, boolean parallel, int m, int n, int k, GemmOperand a, GemmOperand b, GemmOperand c,
                     float alpha, float beta) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            scaleOnly(m, n, c, beta);
            return;
        }
        int threads = parallel ? pool.threads() : 1;
        GemmBuffers buffers = GemmBuffers.of(pool);
        int ncMax = (int) Math.max(NR, Math.min(Math.min(roundUp(n, NR), NC_MAX), PACKED_B_FLOATS / k / NR * NR));
        float[] packedB = buffers.borrow(Math.multiplyExact(k, Math.min(ncMax, roundUp(n, NR))));
        try {
            // Row blocks: tall ones (each B micro-panel then serves many rows), one per thread when M is short,
            // never thinner than MC_MIN (nor MR) rows. The column split below gives each thread two tasks.
            int mc = Math.min(MC, Math.max(Math.min(MC_MIN, roundUp(m, MR)), roundUp(ceilDiv(m, threads), MR)));
            int rowBlocks = ceilDiv(m, mc);
            for (int jc = 0; jc < n; jc += ncMax) {
                int nc = Math.min(ncMax, n - jc);
                int panels = ceilDiv(nc, NR);
                int width = panels * NR;
                packB(pool, parallel, threads, buffers, b, jc, nc, panels, width, k, packedB);

                // Split the column panel too when there are too few row blocks to give every thread work.
                int splits = Math.min(panels, Math.max(1, ceilDiv(2 * threads, rowBlocks)));
                int panelsPerSplit = ceilDiv(panels, splits);
                int colSplits = ceilDiv(panels, panelsPerSplit);
                int col0 = jc;
                run(pool, parallel, rowBlocks * colSplits, threads, () -> new Workspace(buffers, mc, Math.min(panelsPerSplit, TILE_PANELS) * NR, k),
                        Workspace::release, (t, ws) -> {
                            int i0 = (t / colSplits) * mc;
                            int p0 = (t % colSplits) * panelsPerSplit;
                            multiplyRowBlock(ws, a, i0, Math.min(mc, m - i0), k, packedB, width, p0, Math.min(panels, p0 + panelsPerSplit),
                                    alpha, c, col0, nc, beta);
                        });
            }
        } finally {
            buffers.release(packedB);
        }
    }

    /** Packs op(b)[:, jc : jc + nc] (all of K) into {@code packedB}, in parallel. */
    private static void packB(CpuPool pool, boolean parallel, int threads, GemmBuffers buffers, GemmOperand b, int jc, int nc,
                              int panels, int width, int k, float[] packedB) {
        if (b.trans()) {
            // Each task reads the panel's NR stored rows along all of K.
            int length = GemmPacking.Scratch.length(NR, k, 0);
            run(pool, parallel, panels, threads, () -> new GemmPacking.Scratch(buffers.borrow(length)), s -> buffers.release(s.rows),
                    (p, scratch) -> GemmPacking.packTransposedBPanel(b, jc, p, Math.min(NR, nc - p * NR), k, packedB, width, scratch));
        } else {
            int chunks = ceilDiv(panels, PACK_PANELS);
            int kBlocks = ceilDiv(k, KC);
            int length = GemmPacking.Scratch.length(NR, 0, PACK_PANELS * NR);
            run(pool, parallel, kBlocks * chunks, threads, () -> new GemmPacking.Scratch(buffers.borrow(length)), s -> buffers.release(s.rows),
                    (t, scratch) -> {
                        int k0 = (t / chunks) * KC;
                        int p0 = (t % chunks) * PACK_PANELS;
                        GemmPacking.packBRows(b, jc, p0, Math.min(PACK_PANELS * NR, nc - p0 * NR), k0, Math.min(KC, k - k0), packedB, width, scratch);
                    });
        }
    }

    /** Per-thread scratch, borrowed from the pool's buffers: op(a) packed for one row block, the C tile, packing scratch. */
    private static final class Workspace {
        final GemmBuffers buffers;
        final float[] packedA;
        final float[] tile;
        final int tileStride;
        final GemmPacking.Scratch scratch;

        Workspace(GemmBuffers buffers, int rows, int cols, int k) {
            int paddedRows = roundUp(rows, MR);
            this.buffers = buffers;
            this.packedA = buffers.borrow(Math.multiplyExact(paddedRows, k));
            // One cache line beyond the tile width, so the MR rows of a tile do not share cache sets.
            this.tileStride = cols + GemmMicroKernel.F.length();
            this.tile = buffers.borrow(Math.multiplyExact(paddedRows, tileStride));
            this.scratch = new GemmPacking.Scratch(buffers.borrow(GemmPacking.Scratch.length(MR, k, rows)));
        }

        void release() {
            buffers.release(packedA);
            buffers.release(tile);
            buffers.release(scratch.rows);
        }
    }

    /**
     * Rows [i0, i0 + rows) of C times B panels [p0, p1): packs those rows of op(a) once, then for each run of up to
     * TILE_PANELS panels accumulates tile[i, j] = Σ_k alpha · op(a)[i0 + i, k] · op(b)[k, j] over all of K and
     * writes the tile out.
     */
    private static void multiplyRowBlock(Workspace ws, GemmOperand a, int i0, int rows, int k, float[] packedB, int width,
                                         int p0, int p1, float alpha, GemmOperand c, int col0, int nc, float beta) {
        GemmPacking.packA(a, i0, rows, k, alpha, ws.packedA, ws.scratch);
        int rowPanels = ceilDiv(rows, MR);
        int height = rowPanels * MR;
        int ldt = ws.tileStride;
        for (int q0 = p0; q0 < p1; q0 += TILE_PANELS) {
            int q1 = Math.min(p1, q0 + TILE_PANELS);
            for (int k0 = 0; k0 < k; k0 += KC) {
                int kc = Math.min(KC, k - k0);
                boolean accumulate = k0 > 0;
                for (int p = q0; p < q1; p++) {
                    int bOff = k0 * width + p * NR * kc;
                    int tOff = (p - q0) * NR;
                    for (int ir = 0; ir < rowPanels; ir++) {
                        GemmMicroKernel.multiply(ws.packedA, k0 * height + ir * MR * kc, packedB, bOff, kc, ws.tile, ir * MR * ldt + tOff, ldt,
                                accumulate);
                    }
                }
            }
            int j0 = q0 * NR;
            int cols = Math.min(nc, q1 * NR) - j0;
            for (int i = 0; i < rows; i++) {
                MatmulRows.store(c, i0 + i, col0 + j0, cols, ws.tile, i * ldt, beta);
            }
        }
    }

    /** K == 0: the product is empty, so c = beta · c (zeros when beta == 0). */
    private static void scaleOnly(int m, int n, GemmOperand c, float beta) {
        float[] zeros = new float[n];
        for (int i = 0; i < m; i++) {
            MatmulRows.store(c, i, 0, n, zeros, 0, beta);
        }
    }

    @FunctionalInterface
    interface Task<W> {
        void run(int task, W workspace);
    }

    /**
     * Runs tasks [0, tasks) on up to {@code workers} threads, each worker creating its scratch once (and releasing
     * it when done) and taking task indices from a shared counter, so uneven progress balances itself.
     */
    static <W> void run(CpuPool pool, boolean parallel, int tasks, int workers, Supplier<W> scratch, Consumer<W> release, Task<W> body) {
        int w = parallel ? Math.min(Math.min(workers, tasks), pool.threads()) : 1;
        AtomicInteger next = new AtomicInteger();
        IntConsumer worker = ignored -> {
            W ws = null;
            try {
                for (int t; (t = next.getAndIncrement()) < tasks; ) {
                    if (ws == null) {
                        ws = scratch.get();
                    }
                    body.run(t, ws);
                }
            } finally {
                if (ws != null) {
                    release.accept(ws);
                }
            }
        };
        if (w <= 1) {
            worker.accept(0);
        } else {
            pool.parallelFor(w, worker);
        }
    }

    static int roundUp(int x, int multiple) {
        return ceilDiv(x, multiple) * multiple;
    }

    static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }
}
