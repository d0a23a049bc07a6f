package org.emma4j.kernels.cpu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.Storage;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorScope;

/** Host tensors in one shared arena, 64-byte aligned (a cache line, a 512-bit vector); closing frees them all. */
public final class HostTensorScope implements TensorScope {
    private final Arena arena = Arena.ofShared();
    private final AtomicLong allocated = new AtomicLong();

    @Override
    public Tensor allocate(DType dtype, long... shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        long bytes = Math.max(1, n * dtype.byteSize());
        MemorySegment seg = arena.allocate(bytes, 64);
        allocated.addAndGet(bytes);
        return new Tensor(dtype, shape, new Storage.Host(seg), 0, null);
    }

    @Override
    public Tensor zeros(DType dtype, long... shape) {
        // Arena.allocate already zeroes memory.
        return allocate(dtype, shape);
    }

    @Override
    public long allocatedBytes() {
        return allocated.get();
    }

    @Override
    public void close() {
        arena.close();
    }
}
