package org.emma4j.kernels.cpu;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * Blocked GEMM for one matrix, GotoBLAS style: {@code c = alpha · op(a) · op(b) + beta · c}, M × N × K.
 *
 * <p>First alpha · op(a) is packed, in parallel: all M rows at once when they fit {@link #PACKED_A_FLOATS} (every
 * training shape), else chunk by chunk of rows. Then the chunk's C is cut into tasks, handed out dynamically to
 * the pool's threads: each task is a C tile of TILE_PANELS NR-panels (256 columns) × a group of row blocks of up
 * to MC rows. A task packs its own columns of op(b) K block by K block, just before the micro-kernel uses them,
 * into a per-thread buffer: packing (bound by memory) on one core then overlaps products (bound by the FMA units)
 * on the other, and packed op(b) stays in L2 instead of going out to memory and back. When a task has several row
 * blocks it keeps all of K of its op(b) packed and reuses it. For each row block the task walks K in blocks of
 * KC, running the micro-kernel over every MR × NR tile: the B micro-panel (KC × NR floats, 32 KiB) stays in L1
 * for MC / MR calls while the A micro-panels stream from L2. The tile of C is accumulated in a float scratch tile
 * across all of K and written once, row panel by row panel as each is finished, applying beta and rounding to C's
 * dtype, so BF16 outputs are rounded exactly once and {@code beta == 0} never reads C.
 *
 * <p>Why per-task packing of op(b) (measured on 2 cores at 512 × 2048 × 2048, in-process against the previous
 * design and OpenBLAS): packing all of op(b) up front into one shared array made both cores wait on memory at
 * once (the two share ~12 GB/s) and then read the packed array back from L3; this design runs 5–6% faster for
 * the forward and input-gradient layouts (on 1 and on 2 threads) and as fast for the weight gradient, with the
 * same products bit for bit.
 */
final class CpuGemm {
    private CpuGemm() {
    }

    static final int MR = GemmMicroKernel.MR;
    static final int NR = GemmMicroKernel.NR;
    /** K block: a B micro-panel of KC × NR floats (32 KiB with NR = 32) fits the 48 KiB L1 with room for A. */
    static final int KC = 256;
    /**
     * Largest row block: each B micro-panel, packed into L2 and fetched into L1, serves MC / MR = 64 micro-kernel
     * calls; the row block's A (MC × KC floats, 512 KiB per K block) and C tile (MC × 256 floats, 512 KiB) share the
     * 2 MiB L2 with the packed op(b) block (KC × 256 floats, 256 KiB). 256 rows measured slower on 2 threads in 4
     * of 5 training shapes (twice the packing of op(b) for 512 token rows).
     */
    static final int MC = 512;
    /** Smallest row block, when rows are split to give every thread work: below it, B panels do too little work. */
    static final int MC_MIN = 64;
    /** NR-panels per C tile (256 columns): 4 and 12 measured no faster, 16 5–8% slower (the C tile crowds L2). */
    static final int TILE_PANELS = 8;
    /**
     * The most floats of op(a) packed at once (64 MiB): at training shapes all of it, so no row is packed twice.
     * Above it, op(a) is packed and multiplied in chunks of whole row blocks.
     */
    static final long PACKED_A_FLOATS = 16L << 20;
    /** The most floats of packed op(b) a task keeps for all of K to reuse across its row blocks (16 MiB per thread). */
    static final long KEPT_B_FLOATS = 4L << 20;
    /** Rows of op(a) per packing task (a multiple of 16: whole register transposes). */
    private static final int PACK_A_ROWS = 64;
    /**
     * Rows of op(a) = Aᵀ per packing task: each task reads that many floats of every stored row of A, and runs of
     * 1 KiB instead of 256 B cut the packing time by a third (weight gradient at 512 × 2048 × 2048, 2 threads:
     * ~2.3 → ~1.6 ms of a ~33 ms call).
     */
    private static final int PACK_TRANSPOSED_A_ROWS = 256;

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
        // Rows of op(a) packed at once: all of M when they fit, else as many whole row blocks as fit (at least one).
        int chunkRows = (int) Math.max(MC, Math.min(roundUp(m, MC), PACKED_A_FLOATS / k / MC * MC));
        float[] packedA = buffers.borrow(Math.multiplyExact(roundUp(Math.min(chunkRows, m), MR), k));
        try {
            for (int i0 = 0; i0 < m; i0 += chunkRows) {
                int rows = Math.min(chunkRows, m - i0);
                int height = roundUp(rows, MR);
                packA(pool, parallel, threads, buffers, a, i0, rows, k, alpha, packedA, height);
                multiplyChunk(pool, parallel, threads, buffers, packedA, height, rows, n, k, b, c, i0, beta);
            }
        } finally {
            buffers.release(packedA);
        }
    }

    /** Packs alpha · op(a) rows [i0, i0 + rows), all of K, into {@code packedA} ({@code height} padded rows), in parallel. */
    private static void packA(CpuPool pool, boolean parallel, int threads, GemmBuffers buffers, GemmOperand a, int i0, int rows, int k,
                              float alpha, float[] packedA, int height) {
        int perTask = a.trans() ? PACK_TRANSPOSED_A_ROWS : PACK_A_ROWS;
        int length = GemmPacking.Scratch.length(MR, k, perTask);
        run(pool, parallel, ceilDiv(rows, perTask), threads, () -> new GemmPacking.Scratch(buffers.borrow(length)), s -> buffers.release(s.rows),
                (t, scratch) -> {
                    int r0 = t * perTask;
                    GemmPacking.packA(a, i0 + r0, Math.min(perTask, rows - r0), k, alpha, packedA, height, r0 / MR, scratch);
                });
    }

    /**
     * C rows [i0, i0 + rows) = packed op(a) ({@code height} padded rows) · op(b) (+ beta · C): row blocks × C tiles,
     * shared out as tasks. Tiles are narrowed, then row blocks shortened, until every thread can get two tasks.
     */
    private static void multiplyChunk(CpuPool pool, boolean parallel, int threads, GemmBuffers buffers, float[] packedA, int height,
                                      int rows, int n, int k, GemmOperand b, GemmOperand c, int i0, float beta) {
        int panels = ceilDiv(n, NR);
        int wanted = 2 * threads;
        int rowBlocks = ceilDiv(height, MC);
        int tilePanels = tilePanels(panels, rowBlocks, wanted);
        int colTiles = ceilDiv(panels, tilePanels);
        rowBlocks = Math.max(rowBlocks, Math.min(ceilDiv(height, MC_MIN), ceilDiv(wanted, colTiles)));
        int blockRows = roundUp(ceilDiv(rows, rowBlocks), MR);
        int blocks = ceilDiv(rows, blockRows);
        // Row blocks are split into groups only as far as threads need work: a task packs its op(b) columns once
        // for all its row blocks when that fits KEPT_B_FLOATS, else once per row block.
        int groups = Math.min(blocks, ceilDiv(wanted, colTiles));
        int blocksPerGroup = ceilDiv(blocks, groups);
        int tasksRows = ceilDiv(blocks, blocksPerGroup);
        int tileCols = tilePanels * NR;
        boolean keepB = blocksPerGroup > 1 && (long) tileCols * k <= KEPT_B_FLOATS;
        int packedBLength = tileCols * (keepB ? k : Math.min(k, KC));
        run(pool, parallel, tasksRows * colTiles, threads, () -> new Workspace(buffers, blockRows, tileCols, packedBLength),
                Workspace::release, (t, ws) -> {
                    int q0 = (t % colTiles) * tilePanels;
                    int q1 = Math.min(panels, q0 + tilePanels);
                    int first = (t / colTiles) * blocksPerGroup;
                    int last = Math.min(blocks, first + blocksPerGroup);
                    for (int block = first; block < last; block++) {
                        int r0 = block * blockRows;
                        boolean packB = !keepB || block == first;
                        multiplyTile(ws, packedA, height, r0, Math.min(blockRows, rows - r0), k, b, q0, q1, n, packB, keepB, c, i0 + r0, beta);
                    }
                });
    }

    /** Panels per C tile: TILE_PANELS, halved while that leaves fewer than {@code wanted} tasks. */
    private static int tilePanels(int panels, int rowBlocks, int wanted) {
        int tilePanels = Math.min(TILE_PANELS, panels);
        while (tilePanels > 1 && rowBlocks * ceilDiv(panels, tilePanels) < wanted) {
            tilePanels = ceilDiv(tilePanels, 2);
        }
        return tilePanels;
    }

    /** Per-thread scratch, borrowed from the pool's buffers: the C tile, the task's packed op(b), packing scratch. */
    private static final class Workspace {
        final GemmBuffers buffers;
        final float[] tile;
        final int tileStride;
        final int tileCols;
        final float[] packedB;
        final GemmPacking.Scratch scratch;

        Workspace(GemmBuffers buffers, int rows, int cols, int packedBLength) {
            this.buffers = buffers;
            // One cache line beyond the tile width, so the MR rows of a tile do not share cache sets.
            this.tileStride = cols + GemmMicroKernel.F.length();
            this.tileCols = cols;
            this.tile = buffers.borrow(Math.multiplyExact(roundUp(rows, MR), tileStride));
            this.packedB = buffers.borrow(packedBLength);
            this.scratch = new GemmPacking.Scratch(buffers.borrow(GemmPacking.Scratch.length(NR, KC, cols)));
        }

        void release() {
            buffers.release(tile);
            buffers.release(packedB);
            buffers.release(scratch.rows);
        }
    }

    /**
     * Rows [r0, r0 + rows) of the packed op(a) times op(b) panels [q0, q1), into C rows from {@code cRow}:
     * accumulates tile[i, j] = Σ_k alpha · op(a)[r0 + i, k] · op(b)[k, q0·NR + j] over all of K and writes it out,
     * row panel by row panel as each is finished. With {@code packB} each K block of op(b) is packed into
     * ws.packedB first, at offset k0 · tileCols when {@code keepB} (all of K kept for the next row block) or at 0;
     * without it, it was packed by an earlier call.
     */
    private static void multiplyTile(Workspace ws, float[] packedA, int aHeight, int r0, int rows, int k, GemmOperand b, int q0, int q1,
                                     int n, boolean packB, boolean keepB, GemmOperand c, int cRow, float beta) {
        int rowPanels = ceilDiv(rows, MR);
        int ldt = ws.tileStride;
        int j0 = q0 * NR;
        int width = (q1 - q0) * NR;
        int cols = Math.min(n, q1 * NR) - j0;
        // The micro-kernel always adds to the tile (see GemmMicroKernel), so the tile starts at zero.
        for (int i = 0; i < rowPanels * MR; i++) {
            Arrays.fill(ws.tile, i * ldt, i * ldt + width, 0f);
        }
        for (int k0 = 0; k0 < k; k0 += KC) {
            int kc = Math.min(KC, k - k0);
            int bBase = keepB ? k0 * ws.tileCols : 0;
            if (packB) {
                GemmPacking.packBBlock(b, j0, cols, k0, kc, ws.packedB, bBase, ws.scratch);
            }
            // Row r0 (a multiple of MR) starts panel r0 / MR, at r0 · kc within the K block.
            int aOff = k0 * aHeight + r0 * kc;
            // In the last K block, each row panel is written out as soon as its last micro-kernel call is done: its
            // loads of C (for beta) and stores then overlap the calls that follow (measured 2–4% faster than
            // writing the whole tile at the end).
            int last = k0 + kc == k ? q1 - q0 - 1 : -1;
            for (int p = 0; p < q1 - q0; p++) {
                int bOff = bBase + p * NR * kc;
                for (int ir = 0; ir < rowPanels; ir++) {
                    GemmMicroKernel.multiply(packedA, aOff + ir * MR * kc, ws.packedB, bOff, kc, ws.tile, ir * MR * ldt + p * NR, ldt);
                    if (p == last) {
                        for (int i = ir * MR; i < Math.min(rows, ir * MR + MR); i++) {
                            MatmulRows.store(c, cRow + i, j0, cols, ws.tile, i * ldt, beta);
                        }
                    }
                }
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
