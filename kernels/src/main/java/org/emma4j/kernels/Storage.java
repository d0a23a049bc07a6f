package org.emma4j.kernels;

import java.lang.foreign.MemorySegment;

/**
 * Where a tensor's bytes live. Host memory is a {@link MemorySegment} the JVM can read; device memory is an
 * address on an accelerator that only its backend can touch. The set is closed: code that needs host bytes
 * asks {@link Tensor#segment()}, which fails clearly for device tensors.
 */
public sealed interface Storage permits Storage.Host, Storage.Device {

    long byteSize();

    /** Off-heap host memory (or a memory-mapped file). */
    record Host(MemorySegment segment) implements Storage {
        @Override
        public long byteSize() {
            return segment.byteSize();
        }
    }

    /** Memory on device {@code ordinal} at {@code address}; never dereferenced on the host. */
    record Device(long address, long byteSize, int ordinal) implements Storage {
    }
}
