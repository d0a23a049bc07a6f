package org.emma4j.kernels.cuda;

import static org.emma4j.bindings.cuda.cuda_h.CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN;
import static org.emma4j.bindings.cuda.cuda_h.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.emma4j.bindings.CublasHandle;
import org.emma4j.bindings.CublasLibrary;
import org.emma4j.bindings.CudaDriver;
import org.emma4j.bindings.KernelArgs;

/**
 * Everything one CUDA backend holds on its device: the primary context, one stream on which every op is
 * queued in order, the kernel module, a cuBLAS handle on that stream, reusable kernel arguments and scratch.
 * Used by one thread at a time; the context is made current on whichever thread calls {@link #enter()}.
 */
final class CudaContext implements AutoCloseable {
    private final CudaDriver driver;
    private final int ordinal;
    private final int device;
    private final String deviceName;
    private final int multiprocessors;
    private final MemorySegment context;
    private final MemorySegment stream;
    private final Arena arena = Arena.ofShared();
    private final KernelArgs args;
    private final CudaModule module;
    private final CublasHandle cublas;
    private final DeviceScratch scratch;
    private Thread currentOn;

    private CudaContext(CudaDriver driver, int ordinal) {
        this.driver = driver;
        this.ordinal = ordinal;
        this.device = driver.device(ordinal);
        this.deviceName = driver.deviceName(device);
        this.multiprocessors = driver.attribute(CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT(), device);
        int maxShared = driver.attribute(CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN(), device);
        this.context = driver.retainPrimaryContext(device);
        MemorySegment s = null;
        CudaModule m = null;
        CublasHandle h = null;
        try {
            enter();
            s = driver.createStream();
            m = new CudaModule(driver, maxShared);
            h = CublasLibrary.open().createHandle();
            h.setStream(s);
        } catch (RuntimeException e) {
            if (h != null) {
                h.close();
            }
            if (m != null) {
                m.close();
            }
            if (s != null) {
                driver.destroyStream(s);
            }
            driver.releasePrimaryContext(device);
            arena.close();
            throw e;
        }
        this.stream = s;
        this.module = m;
        this.cublas = h;
        this.args = new KernelArgs(arena);
        this.scratch = new DeviceScratch(this);
    }

    /** Opens device {@code ordinal}: loads the driver, cuInit, the primary context, the kernels and cuBLAS. */
    static CudaContext open(int ordinal) {
        return new CudaContext(CudaDriver.open(), ordinal);
    }

    /** Makes the context current on the calling thread (a no-op when it already is). */
    void enter() {
        Thread t = Thread.currentThread();
        if (t != currentOn) {
            driver.setCurrent(context);
            currentOn = t;
        }
    }

    CudaDriver driver() {
        return driver;
    }

    int ordinal() {
        return ordinal;
    }

    String deviceName() {
        return deviceName;
    }

    MemorySegment stream() {
        return stream;
    }

    CublasHandle cublas() {
        return cublas;
    }

    DeviceScratch scratch() {
        return scratch;
    }

    int maxDynamicShared() {
        return module.maxDynamicShared();
    }

    /** The launch parameters, cleared: add them in the kernel's order, then {@link #launch}. */
    KernelArgs args() {
        return args.clear();
    }

    /** A 1-D grid covering {@code n} items with {@code block} threads each, capped for grid-stride kernels. */
    int gridFor(long n, int block) {
        long blocks = (n + block - 1) / block;
        return (int) Math.max(1, Math.min(blocks, (long) multiprocessors * 32));
    }

    /** Queues {@code kernel} with the arguments last set through {@link #args()}. */
    void launch(CudaKernel kernel, int gridX, int gridY, int block, int sharedBytes) {
        driver.launch(module.function(kernel), kernel.symbol, gridX, gridY, 1, block, 1, 1, sharedBytes, stream, args);
    }

    void synchronizeStream() {
        driver.synchronize(stream);
    }

    @Override
    public void close() {
        enter();
        try {
            synchronizeStream();
        } finally {
            scratch.close();
            cublas.close();
            module.close();
            driver.destroyStream(stream);
            driver.releasePrimaryContext(device);
            arena.close();
        }
    }
}
