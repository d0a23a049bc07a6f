package org.emma4j.kernels.cpu;

import java.lang.foreign.MemorySegment;
import org.emma4j.kernels.DType;

/**
 * One matrix operand of a GEMM as the kernels read it: {@code op(X)[i, j]} is the element at index
 * {@code base + i·ld + j} of the segment, or {@code base + j·ld + i} when {@code trans} (X stored transposed).
 * {@code base} and {@code ld} count elements of {@code dtype}, not bytes.
 */
record GemmOperand(MemorySegment segment, DType dtype, long base, long ld, boolean trans) {

    /** Byte offset of stored element (row, col) of the underlying row-major matrix, ignoring {@code trans}. */
    long storedByteOffset(long row, long col) {
        return (base + row * ld + col) * dtype.byteSize();
    }

    /** The same operand shifted to another matrix of a batch, {@code elements} further into the segment. */
    GemmOperand advance(long elements) {
        return new GemmOperand(segment, dtype, base + elements, ld, trans);
    }
}
