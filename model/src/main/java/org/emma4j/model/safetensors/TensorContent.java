package org.emma4j.model.safetensors;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * Produces a tensor's bytes on demand, straight into the output file's mapped memory, so a writer never holds
 * more than the tensor being written (an 8B model is written tensor by tensor, never whole in memory).
 */
@FunctionalInterface
public interface TensorContent {

    /**
     * Writes exactly {@code destination.byteSize()} bytes: the tensor's elements, row-major, little-endian,
     * in the dtype of its {@link TensorSource}. The destination is shared memory, so the content may
     * fill it from several threads.
     */
    void writeTo(MemorySegment destination) throws IOException;
}
