package org.emma4j.kernels.cuda;

import java.util.EnumMap;
import java.util.Map;
import org.emma4j.bindings.CudaDriver;

/**
 * Device work buffers the ops borrow for the length of one call (f32 accumulators, converted operands,
 * partial sums), one per {@link Slot} so that an op can hold several at once. A buffer only grows; since
 * every op runs on the one stream, a buffer is free again as soon as the op that used it is queued.
 */
final class DeviceScratch implements AutoCloseable {

    /** Independent buffers; an op uses each at most once. */
    enum Slot { A, B, C, D }

    private record Buffer(long address, long bytes) {
    }

    private final CudaContext context;
    private final Map<Slot, Buffer> buffers = new EnumMap<>(Slot.class);

    DeviceScratch(CudaContext context) {
        this.context = context;
    }

    /** At least {@code bytes} of device memory in {@code slot}, valid until the next call for the same slot. */
    long get(Slot slot, long bytes) {
        Buffer b = buffers.get(slot);
        if (b != null && b.bytes >= bytes) {
            return b.address;
        }
        CudaDriver driver = context.driver();
        if (b != null) {
            // Queued kernels may still read the old buffer.
            context.synchronizeStream();
            driver.free(b.address);
            buffers.remove(slot);
        }
        long size = Math.max(bytes, b == null ? 1 << 20 : b.bytes + b.bytes / 2);
        Buffer grown = new Buffer(driver.allocate(size), size);
        buffers.put(slot, grown);
        return grown.address;
    }

    @Override
    public void close() {
        for (Buffer b : buffers.values()) {
            context.driver().free(b.address);
        }
        buffers.clear();
    }
}
