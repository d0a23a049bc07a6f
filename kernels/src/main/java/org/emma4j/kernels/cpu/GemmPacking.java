package org.emma4j.kernels.cpu;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Copies op(a) and op(b) into the contiguous micro-panels the {@link GemmMicroKernel} streams through, converting
 * BF16/F16 to F32 and undoing any transpose on the way, so the kernel only ever sees unit-stride float arrays.
 * Panels are padded with zeros to full MR rows / NR columns, so edge tiles run the same kernel as the others: the
 * padded rows and columns of the C scratch tile are simply never written back.
 *
 * <p>Layout: a packed matrix covering all of K and {@code width} rows of op(a) (or columns of op(b)), padded to
 * a multiple of the panel width W (MR or NR), is a sequence of K blocks; the block starting at k0 (of depth
 * kc ≤ KC) occupies {@code [k0·width, (k0 + kc)·width)} and holds panel p at {@code k0·width + p·W·kc}, in which
 * element (k0 + k, p·W + w) sits at {@code k·W + w}.
 *
 * <p>Memory is always read along stored rows. When the panel width runs along stored rows (op(b) from B stored
 * [K, N], op(a) from A stored [K, M]), each stored row is read once and cut into panels. Otherwise (a weight
 * used as Wᵀ, activations as op(a)) the panel must be transposed: its stored rows are read along K (op(a): all
 * of K; op(b): one K block, as {@link CpuGemm} packs op(b) block by block just before use), sequential runs that
 * the hardware prefetcher follows, into a scratch block; full panels are transposed from
 * there by {@link GemmTranspose}'s 16 × 16 register transposes, edge panels (and all panels when vectors are
 * narrower than 16 lanes) by vector gathers.
 */
final class GemmPacking {
    private GemmPacking() {
    }

    private static final VectorSpecies<Float> F = GemmMicroKernel.F;
    private static final int KC = CpuGemm.KC;
    /** Extra floats per scratch row, so that rows a power of two apart do not all fall into one cache set. */
    private static final int ROW_PAD = 16;

    /** Per-thread packing scratch: converted stored rows and the gather index vector. */
    static final class Scratch {
        final float[] rows;
        /** One transposed 16 × 16 block on its way into two A panels. */
        final float[] square = new float[GemmTranspose.S * GemmTranspose.S];
        private final int[] gatherIndex = new int[F.length()];
        private int indexWidth = -1;
        private int indexStride = -1;

        /** Scratch over {@code rows}, which must have room for {@link #length} floats. */
        Scratch(float[] rows) {
            this.rows = rows;
        }

        /** Floats needed for {@code width} stored rows of {@code depth} elements, or one stored row of {@code rowLength}. */
        static int length(int width, int depth, int rowLength) {
            // A pair of A panels stages 16 stored rows, more than MR.
            int rows = depth > 0 ? Math.max(width, GemmTranspose.S) : width;
            return Math.max(rows * (depth + ROW_PAD), CpuGemm.roundUp(rowLength, width));
        }

        /** Offsets of gathered lane l from lane 0, for panels of {@code width} made from scratch rows {@code stride} apart. */
        int[] gatherIndex(int width, int stride) {
            if (width != indexWidth || stride != indexStride) {
                for (int l = 0; l < gatherIndex.length; l++) {
                    gatherIndex[l] = width >= gatherIndex.length ? l * stride : (l % width) * stride + l / width;
                }
                indexWidth = width;
                indexStride = stride;
            }
            return gatherIndex;
        }
    }

    /**
     * Packs {@code alpha · op(a)[i0 : i0+mc, 0 : k]} into panels p0, p0 + 1, … of {@code dst}, a packed op(a) of
     * {@code width} (padded) rows covering all of K. Rows [i0, i0 + mc) must start panel p0 (i0 = p0·MR in the
     * layout's own numbering), so a block can be packed alone (p0 = 0, width = ⌈mc/MR⌉·MR) or as one part of
     * a larger packed op(a) that several threads fill.
     */
    static void packA(GemmOperand a, int i0, int mc, int k, float alpha, float[] dst, int width, int p0, Scratch s) {
        int w = GemmMicroKernel.MR;
        int panels = (mc + w - 1) / w;
        if (a.trans()) {
            // op(a)[i, k] = A[k, i]: stored row k holds the block's rows side by side.
            for (int k0 = 0; k0 < k; k0 += KC) {
                int kc = Math.min(KC, k - k0);
                packAlongRows(a, k0, kc, i0, mc, w, dst, k0 * width + p0 * w * kc, s);
            }
        } else {
            int p = 0;
            if (GemmTranspose.AVAILABLE) {
                // Two full panels at a time: 16 rows, the height of one register transpose.
                for (; (p + 2) * w <= mc; p += 2) {
                    packPanelPair(a, i0 + p * w, k, dst, width, p0 + p, s);
                }
            }
            for (; p < panels; p++) {
                packAcrossRows(a, i0 + p * w, Math.min(w, mc - p * w), k, w, dst, width, p0 + p, s);
            }
        }
        if (alpha != 1f) {
            for (int k0 = 0; k0 < k; k0 += KC) {
                int kc = Math.min(KC, k - k0);
                scale(dst, k0 * width + p0 * w * kc, panels * w * kc, alpha);
            }
        }
    }

    /**
     * Packs one K block of a run of op(b)'s columns, {@code op(b)[k0 : k0 + kc, j0 : j0 + cols]}, into
     * ⌈cols / NR⌉ consecutive panels from {@code dst[d0]}: panel p at d0 + p·NR·kc, holding element (k0 + k,
     * j0 + p·NR + j) at k·NR + j, the last panel zero-padded to NR columns.
     */
    static void packBBlock(GemmOperand b, int j0, int cols, int k0, int kc, float[] dst, int d0, Scratch s) {
        int w = GemmMicroKernel.NR;
        if (!b.trans()) {
            packAlongRows(b, k0, kc, j0, cols, w, dst, d0, s);
            return;
        }
        // op(b) = Bᵀ with B stored [N, K]: each panel is NR stored rows, read along K and transposed.
        for (int p = 0; p * w < cols; p++) {
            int rows = Math.min(w, cols - p * w);
            int stride = stageRows(b, j0 + p * w, rows, k0, kc, s);
            int base = d0 + p * w * kc;
            if (rows == w && GemmTranspose.AVAILABLE) {
                int S = GemmTranspose.S;
                for (int half = 0; half < 2; half++) {
                    int so = half * S * stride;
                    int kk = 0;
                    for (; kk + S <= kc; kk += S) {
                        GemmTranspose.intoRows(s.rows, so + kk, stride, dst, base + kk * w + half * S, w);
                    }
                    transposeTail(s.rows, so, stride, S, kk, kc, dst, base + half * S, w);
                }
            } else {
                Arrays.fill(s.rows, rows * stride, w * stride, 0f);
                int[] index = (w % F.length() == 0 || F.length() % w == 0) ? s.gatherIndex(w, stride) : null;
                transpose(s.rows, stride, 0, kc, w, index, dst, base);
            }
        }
    }

    /**
     * Panels p and p + 1 of A (16 stored rows from r0, both full), all of K: the rows read whole into scratch,
     * then transposed 16 × 16 in registers, K block by K block, each column split between the two panels.
     */
    private static void packPanelPair(GemmOperand a, int r0, int k, float[] dst, int width, int p, Scratch s) {
        int w = GemmMicroKernel.MR;
        int stride = stageRows(a, r0, 2 * w, 0, k, s);
        for (int k0 = 0; k0 < k; k0 += KC) {
            int kc = Math.min(KC, k - k0);
            int lower = k0 * width + p * w * kc;
            int upper = lower + w * kc;
            int kk = 0;
            for (; kk + GemmTranspose.S <= kc; kk += GemmTranspose.S) {
                GemmTranspose.intoPanelPair(s.rows, k0 + kk, stride, dst, lower + kk * w, upper + kk * w, s.square);
            }
            transposeTail(s.rows, k0, stride, w, kk, kc, dst, lower, w);
            transposeTail(s.rows, w * stride + k0, stride, w, kk, kc, dst, upper, w);
        }
    }

    /**
     * Converts stored rows [r0, r0 + rows), columns [c0, c0 + len), into s.rows; returns the distance between
     * staged rows.
     */
    private static int stageRows(GemmOperand x, int r0, int rows, int c0, int len, Scratch s) {
        int stride = len + ROW_PAD;
        for (int r = 0; r < rows; r++) {
            MatmulRows.load(x, r0 + r, c0, len, s.rows, r * stride);
        }
        return stride;
    }

    /** dst[off + kk·w + r] = rows[so + r·stride + kk] for r in [0, count), kk in [from, to): the columns after the last full block. */
    private static void transposeTail(float[] rows, int so, int stride, int count, int from, int to, float[] dst, int off, int w) {
        for (int kk = from; kk < to; kk++) {
            for (int r = 0; r < count; r++) {
                dst[off + kk * w + r] = rows[so + r * stride + kk];
            }
        }
    }

    /**
     * Stored rows r0..r0+count run along the panels: stored row r0 + k, columns [c0, c0 + len), becomes element
     * k of every panel, {@code len} split into panels of width w (the last zero-padded) placed w·count apart.
     */
    private static void packAlongRows(GemmOperand x, int r0, int count, int c0, int len, int w, float[] dst, int dstOff, Scratch s) {
        int panels = (len + w - 1) / w;
        float[] row = s.rows;
        Arrays.fill(row, len, panels * w, 0f);
        for (int k = 0; k < count; k++) {
            MatmulRows.load(x, r0 + k, c0, len, row, 0);
            int d = dstOff + k * w;
            // System.arraycopy, not vector copies: those measured ~10% slower over a whole product (2 threads).
            for (int p = 0; p < panels; p++, d += w * count) {
                System.arraycopy(row, p * w, dst, d, w);
            }
        }
    }

    /**
     * Panel p of width w whose width runs across stored rows: stored rows r0..r0+rows (zero rows up to w), all
     * k columns, transposed so that column k of the rows becomes element k of the panel, block by block of K.
     */
    private static void packAcrossRows(GemmOperand x, int r0, int rows, int k, int w, float[] dst, int width, int p, Scratch s) {
        float[] block = s.rows;
        int stride = stageRows(x, r0, rows, 0, k, s);
        Arrays.fill(block, rows * stride, w * stride, 0f);
        int[] index = (w % F.length() == 0 || F.length() % w == 0) ? s.gatherIndex(w, stride) : null;
        for (int k0 = 0; k0 < k; k0 += KC) {
            int kc = Math.min(KC, k - k0);
            transpose(block, stride, k0, kc, w, index, dst, k0 * width + p * w * kc);
        }
    }

    /**
     * dst[dstOff + kk·w + r] = block[r·stride + k0 + kk] for kk in [0, kc), r in [0, w). Packed element f = kk·w + r;
     * each gather fills V consecutive packed elements (when w and V divide one another), the rest go one by one.
     */
    private static void transpose(float[] block, int stride, int k0, int kc, int w, int[] index, float[] dst, int dstOff) {
        int v = F.length();
        int total = w * kc;
        int f = 0;
        if (index != null) {
            for (int upper = total - v; f <= upper; f += v) {
                FloatVector.fromArray(F, block, (f % w) * stride + k0 + f / w, index, 0).intoArray(dst, dstOff + f);
            }
        }
        for (; f < total; f++) {
            dst[dstOff + f] = block[(f % w) * stride + k0 + f / w];
        }
    }

    /** x[from : from + n] *= s. */
    private static void scale(float[] x, int from, int n, float s) {
        int v = F.length();
        int i = 0;
        for (int upper = F.loopBound(n); i < upper; i += v) {
            FloatVector.fromArray(F, x, from + i).mul(s).intoArray(x, from + i);
        }
        for (; i < n; i++) {
            x[from + i] *= s;
        }
    }
}
