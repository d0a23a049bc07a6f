package org.emma4j.model.checkpoint;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.emma4j.kernels.Backend;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.Tensor;

/**
 * Moves a tensor between host memory and a backend, converting the dtype on the host when they differ.
 * Conversion goes through a bounded staging buffer, chunk by chunk, so moving a 1 GB embedding never needs
 * a second gigabyte; only {@link Backend#upload} and {@link Backend#download} are used, which every backend
 * (CPU or CUDA) provides.
 */
public final class TensorTransfer {
    private TensorTransfer() {
    }

    /** Elements converted per staging chunk (16 MB of F32). */
    static final long CHUNK_ELEMENTS = 1L << 22;

    /** Fills backend tensor {@code dst} from host tensor {@code src} of the same size, converting the dtype. */
    public static void upload(Backend backend, Tensor dst, Tensor src) {
        upload(backend, dst, src, CHUNK_ELEMENTS);
    }

    /** {@link #upload(Backend, Tensor, Tensor)} with a chosen staging chunk (tests use small ones). */
    static void upload(Backend backend, Tensor dst, Tensor src, long chunkElements) {
        if (dst.size() != src.size()) {
            throw new IllegalArgumentException("upload: " + src + " and " + dst + " differ in size");
        }
        if (dst.size() == 0) {
            return;
        }
        MemorySegment from = src.segment();
        if (src.dtype() == dst.dtype()) {
            backend.upload(dst, from);
            return;
        }
        Tensor flat = dst.view(dst.size());
        int inBytes = src.dtype().byteSize();
        int outBytes = dst.dtype().byteSize();
        try (Arena arena = Arena.ofShared()) { // shared: confined memory in Vector API loops makes C2 stop intrinsifying them
            MemorySegment staging = arena.allocate(Math.min(chunkElements, dst.size()) * outBytes, 64);
            for (long start = 0; start < dst.size(); start += chunkElements) {
                long n = Math.min(chunkElements, dst.size() - start);
                MemorySegment chunk = staging.asSlice(0, n * outBytes);
                DTypeConversion.convert(from.asSlice(start * inBytes, n * inBytes), src.dtype(), chunk, dst.dtype(), n);
                backend.upload(flat.slice(start, start + n), chunk);
            }
        }
    }

    /** Writes backend tensor {@code src} into host memory {@code dst} as {@code dstType}, converting when needed. */
    public static void download(Backend backend, Tensor src, MemorySegment dst, DType dstType) {
        download(backend, src, dst, dstType, CHUNK_ELEMENTS);
    }

    /** {@link #download(Backend, Tensor, MemorySegment, DType)} with a chosen staging chunk (tests use small ones). */
    static void download(Backend backend, Tensor src, MemorySegment dst, DType dstType, long chunkElements) {
        long need = src.size() * dstType.byteSize();
        if (dst.byteSize() < need) {
            throw new IllegalArgumentException("download: " + src + " as " + dstType + " needs " + need + " bytes, the destination holds "
                    + dst.byteSize());
        }
        if (src.size() == 0) {
            return;
        }
        if (src.dtype() == dstType) {
            backend.download(src, dst);
            return;
        }
        Tensor flat = src.view(src.size());
        int inBytes = src.dtype().byteSize();
        int outBytes = dstType.byteSize();
        try (Arena arena = Arena.ofShared()) { // shared: confined memory in Vector API loops makes C2 stop intrinsifying them
            MemorySegment staging = arena.allocate(Math.min(chunkElements, src.size()) * inBytes, 64);
            for (long start = 0; start < src.size(); start += chunkElements) {
                long n = Math.min(chunkElements, src.size() - start);
                MemorySegment chunk = staging.asSlice(0, n * inBytes);
                backend.download(flat.slice(start, start + n), chunk);
                DTypeConversion.convert(chunk, src.dtype(), dst.asSlice(start * outBytes, n * outBytes), dstType, n);
            }
        }
    }
}
