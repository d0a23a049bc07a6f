package org.emma4j.kernels.cpu;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * Blocked GEMM for one matrix, GotoBLAS style: {@code c = alpha · op(a) · op(b) + beta · c}, M × N × K.
 *
 * <p>First alpha · op(a) is packed, all of it at once (in parallel) when it fits {@link #PACKED_A_FLOATS}, so
 * no row is packed twice however the work is split. Then, outermost first: column panels of op(b) of up to NC
 * columns, packed once (all of K) into an array shared by all threads, NC sized so that it stays within
 * {@link #PACKED_B_FLOATS}; then tasks of MC rows × a run of NR-panels of that column panel, handed out
 * dynamically to the pool's threads (a too-large op(a) is packed here, per task). For each run of up to
 * TILE_PANELS panels a task walks K in blocks of KC, running the micro-kernel over every MR × NR tile: the B
 * micro-panel (KC × NR floats, 32 KiB) stays in L1 for MC / MR calls while the A micro-panels stream from L2.
 * That tile of C is accumulated in a float scratch tile across all of K and written once at the end, applying
 * beta and rounding to C's dtype, so BF16 outputs are rounded exactly once and {@code beta == 0} never reads C.
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
     * the bottleneck: with the one-step micro-kernel, which alone did ~150 GFLOP/s on a core, the blocked loops
     * ran at ~105; MC = 256 ran them at ~135.)
     */
    static final int MC = 256;
    /** Smallest M block: below it, each B micro-panel would be fetched into L1 for too little work. */
    static final int MC_MIN = 64;
    /**
     * The most floats of packed op(b) held at once (16 MiB). Larger panels measured no faster: with few rows per
     * weight (prefill) the product is bound by moving op(b), and a 64 MiB packed panel no longer stays in cache
     * between being written and being read. (More panels cost no re-packing of op(a) when it is packed once.)
     */
    static final long PACKED_B_FLOATS = 4L << 20;
    /** The widest column panel of packed op(b). */
    static final int NC_MAX = 4096;
    /**
     * The most floats of op(a) packed once for the whole call (64 MiB): then no row block is packed twice, however
     * the work is split. Above it, each task packs its own rows.
     */
    static final long PACKED_A_FLOATS = 16L << 20;
    /** Rows of op(a) per packing task when all of it is packed at once (a multiple of 16: whole register transposes). */
    private static final int PACK_A_ROWS = 64;
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
        int height = roundUp(m, MR);
        boolean shareA = (long) height * k <= PACKED_A_FLOATS;
        int ncMax = (int) Math.max(NR, Math.min(Math.min(roundUp(n, NR), NC_MAX), PACKED_B_FLOATS / k / NR * NR));
        float[] packedB = buffers.borrow(Math.multiplyExact(k, Math.min(ncMax, roundUp(n, NR))));
        float[] packedA = shareA ? buffers.borrow(height * k) : null;
        try {
            if (shareA) {
                packAllOfA(pool, parallel, threads, buffers, a, m, k, alpha, packedA, height);
            }
            // Row blocks as tall as MC allows: each B micro-panel then serves many rows. Unless op(a) is packed
            // once for all, a column split re-packs it, so then a short M is cut into one row block per thread.
            int mc = shareA ? Math.min(MC, height) : Math.min(MC, Math.max(Math.min(MC_MIN, height), roundUp(ceilDiv(m, threads), MR)));
            int rowBlocks = ceilDiv(m, mc);
            for (int jc = 0; jc < n; jc += ncMax) {
                int nc = Math.min(ncMax, n - jc);
                int panels = ceilDiv(nc, NR);
                int width = panels * NR;
                packB(pool, parallel, threads, buffers, b, jc, nc, panels, width, k, packedB);

                // Split the column panel too when there are too few row blocks to give every thread two tasks.
                int splits = Math.min(panels, Math.max(1, ceilDiv(2 * threads, rowBlocks)));
                int panelsPerSplit = ceilDiv(panels, splits);
                int colSplits = ceilDiv(panels, panelsPerSplit);
                int col0 = jc;
                int tileCols = Math.min(panelsPerSplit, TILE_PANELS) * NR;
                run(pool, parallel, rowBlocks * colSplits, threads, () -> new Workspace(buffers, mc, tileCols, shareA ? 0 : k),
                        Workspace::release, (t, ws) -> {
                            int i0 = (t / colSplits) * mc;
                            int rows = Math.min(mc, m - i0);
                            int p0 = (t % colSplits) * panelsPerSplit;
                            int p1 = Math.min(panels, p0 + panelsPerSplit);
                            if (shareA) {
                                multiplyRowBlock(ws, packedA, height, i0 / MR, rows, k, packedB, width, p0, p1, c, i0, col0, nc, beta);
                            } else {
                                int blockHeight = roundUp(rows, MR);
                                GemmPacking.packA(a, i0, rows, k, alpha, ws.packedA, blockHeight, 0, ws.scratch);
                                multiplyRowBlock(ws, ws.packedA, blockHeight, 0, rows, k, packedB, width, p0, p1, c, i0, col0, nc, beta);
                            }
                        });
            }
        } finally {
            buffers.release(packedB);
            if (packedA != null) {
                buffers.release(packedA);
            }
        }
    }

    /** Packs alpha · op(a), all M rows and all of K, into {@code packedA} ({@code height} padded rows), in parallel. */
    private static void packAllOfA(CpuPool pool, boolean parallel, int threads, GemmBuffers buffers, GemmOperand a, int m, int k,
                                   float alpha, float[] packedA, int height) {
        int length = GemmPacking.Scratch.length(MR, k, PACK_A_ROWS);
        run(pool, parallel, ceilDiv(m, PACK_A_ROWS), threads, () -> new GemmPacking.Scratch(buffers.borrow(length)), s -> buffers.release(s.rows),
                (t, scratch) -> {
                    int i0 = t * PACK_A_ROWS;
                    GemmPacking.packA(a, i0, Math.min(PACK_A_ROWS, m - i0), k, alpha, packedA, height, i0 / MR, scratch);
                });
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

        /** With {@code k == 0} there is no packing space for op(a): the call packed all of it beforehand. */
        Workspace(GemmBuffers buffers, int rows, int cols, int k) {
            int paddedRows = roundUp(rows, MR);
            this.buffers = buffers;
            this.packedA = k == 0 ? null : buffers.borrow(Math.multiplyExact(paddedRows, k));
            // One cache line beyond the tile width, so the MR rows of a tile do not share cache sets.
            this.tileStride = cols + GemmMicroKernel.F.length();
            this.tile = buffers.borrow(Math.multiplyExact(paddedRows, tileStride));
            this.scratch = k == 0 ? null : new GemmPacking.Scratch(buffers.borrow(GemmPacking.Scratch.length(MR, k, rows)));
        }

        void release() {
            if (packedA != null) {
                buffers.release(packedA);
            }
            buffers.release(tile);
            if (scratch != null) {
                buffers.release(scratch.rows);
            }
        }
    }

    /**
     * Rows [i0, i0 + rows) of C times B panels [p0, p1): for each run of up to TILE_PANELS panels accumulates
     * tile[i, j] = Σ_k alpha · op(a)[i0 + i, k] · op(b)[k, j] over all of K and writes the tile out. Those rows of
     * alpha · op(a) are packed panels aPanel0, aPanel0 + 1, … of {@code packedA}, a packed op(a) {@code aHeight}
     * rows high.
     */
    private static void multiplyRowBlock(Workspace ws, float[] packedA, int aHeight, int aPanel0, int rows, int k, float[] packedB,
                                         int width, int p0, int p1, GemmOperand c, int i0, int col0, int nc, float beta) {
        int rowPanels = ceilDiv(rows, MR);
        int ldt = ws.tileStride;
        for (int q0 = p0; q0 < p1; q0 += TILE_PANELS) {
            int q1 = Math.min(p1, q0 + TILE_PANELS);
            // The micro-kernel always adds to the tile (see GemmMicroKernel), so the tile starts at zero.
            int tileCols = (q1 - q0) * NR;
            for (int i = 0; i < rowPanels * MR; i++) {
                Arrays.fill(ws.tile, i * ldt, i * ldt + tileCols, 0f);
            }
            for (int k0 = 0; k0 < k; k0 += KC) {
                int kc = Math.min(KC, k - k0);
                int aOff = k0 * aHeight + aPanel0 * MR * kc;
                for (int p = q0; p < q1; p++) {
                    int bOff = k0 * width + p * NR * kc;
                    int tOff = (p - q0) * NR;
                    for (int ir = 0; ir < rowPanels; ir++) {
                        GemmMicroKernel.multiply(packedA, aOff + ir * MR * kc, packedB, bOff, kc, ws.tile, ir * MR * ldt + tOff, ldt);
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
