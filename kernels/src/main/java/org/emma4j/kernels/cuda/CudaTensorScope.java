package org.emma4j.kernels.cuda;

import java.util.ArrayList;
import java.util.List;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.Storage;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorScope;

/**
 * Device tensors from cuMemAlloc (256-byte aligned), all freed when the scope closes, after the stream has
 * finished whatever work still reads them. Zeroing is queued on the backend's stream like any op.
 */
final class CudaTensorScope implements TensorScope {
    private final CudaContext context;
    private final List<Long> allocations = new ArrayList<>();
    private long allocated;
    private boolean closed;

    CudaTensorScope(CudaContext context) {
        this.context = context;
    }

    @Override
    public synchronized Tensor allocate(DType dtype, long... shape) {
        if (closed) {
            throw new IllegalStateException("this CUDA tensor scope is closed");
        }
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("cannot allocate a tensor with a negative dimension: " + java.util.Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        long bytes = Math.max(1, Math.multiplyExact(n, (long) dtype.byteSize()));
        context.enter();
        long address = context.driver().allocate(bytes);
        allocations.add(address);
        allocated += bytes;
        return new Tensor(dtype, shape, new Storage.Device(address, bytes, context.ordinal()), 0, null);
    }

    @Override
    public Tensor zeros(DType dtype, long... shape) {
        Tensor t = allocate(dtype, shape);
        context.driver().memset8(DeviceTensors.address(t), (byte) 0, t.storage().byteSize(), context.stream());
        return t;
    }

    @Override
    public synchronized long allocatedBytes() {
        return allocated;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        context.enter();
        context.synchronizeStream();
        for (long address : allocations) {
            context.driver().free(address);
        }
        allocations.clear();
    }
}
