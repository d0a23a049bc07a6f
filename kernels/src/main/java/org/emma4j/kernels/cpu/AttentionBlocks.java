package org.emma4j.kernels.cpu;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.emma4j.kernels.DType;

/** The blocking shared by attention forward and backward: key-block width, padded rows, loading and transposing. */
final class AttentionBlocks {
    private AttentionBlocks() {
    }

    static final int L = FloatRowIo.F.length();
    /** Keys per block: four vectors, the width of {@link TileGemm}'s 4×4 register block. */
    static final int BK = 4 * L;

    /** The head dimension rounded up to whole vectors; scratch rows are zero beyond headDim. */
    static int paddedHeadDim(int headDim) {
        return (headDim + L - 1) / L * L;
    }

    /**
     * Rows j0 .. j0+nk of KV head kvh of k or v into {@code dst} (row j at j · dp). Only these rows are
     * read, so positions past the causal limit (the unfilled rest of a KV cache) are never touched.
     */
    static void loadKeyRows(AttentionShape shape, MemorySegment seg, DType dtype, int b, int kvh, int j0, int nk,
                            float[] dst, int dp) {
        for (int j = 0; j < nk; j++) {
            FloatRowIo.load(seg, dtype, shape.rowOffset(b, j0 + j, shape.tk(), shape.hkv(), kvh), shape.headDim(), dst, j * dp, 1f);
        }
    }

    /** {@code dst[i · BK + j] = src[j · dp + i]} for j < nk, i < headDim; columns nk .. BK become zero. */
    static void transpose(float[] src, int dp, int headDim, int nk, float[] dst) {
        for (int j = 0; j < nk; j++) {
            int from = j * dp;
            for (int i = 0; i < headDim; i++) {
                dst[i * BK + j] = src[from + i];
            }
        }
        if (nk < BK) {
            for (int i = 0; i < headDim; i++) {
                Arrays.fill(dst, i * BK + nk, (i + 1) * BK, 0f);
            }
        }
    }
}
