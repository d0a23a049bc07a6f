package org.emma4j.bindings;

import static org.emma4j.bindings.cuda.cuda_h.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * The CUDA driver API as emma4j uses it, over the jextract bindings in {@code org.emma4j.bindings.cuda}:
 * every status is checked and becomes a {@link CudaException} naming the call and the error. An instance
 * exists only once libcuda.so.1 is loaded and cuInit succeeded, so the generated class (whose static
 * initialiser opens the library) is never touched on a machine without a driver: call {@link CudaProbe}
 * first, or {@link #open()}, which fails with a clear exception instead.
 *
 * <p>Handles (contexts, streams, modules, functions, events) are opaque {@link MemorySegment}s; device
 * memory is a {@code long} address, never dereferenced on the host.
 */
public final class CudaDriver {
    private final NativeLibraryLoader.Loaded library;

    private CudaDriver(NativeLibraryLoader.Loaded library) {
        this.library = library;
    }

    /** Loads the driver (see {@link LibrarySearch#cudaDriver()}) and calls cuInit(0). */
    public static CudaDriver open() {
        return open(LibrarySearch.cudaDriver().candidates());
    }

    /** Loads the driver from these candidates and calls cuInit(0). */
    public static CudaDriver open(List<LibrarySearch.Candidate> candidates) {
        NativeLibraryLoader.Loaded lib = NativeLibraryLoader.open(LibrarySearch.cudaDriver(), candidates, "cuInit", false);
        CudaDriver driver = new CudaDriver(lib);
        try {
            driver.check(cuInit(0), "cuInit(0)");
        } catch (ExceptionInInitializerError | NoClassDefFoundError e) {
            // The generated class opens "libcuda.so.1" by soname; a library loaded from another path
            // satisfies that only when its soname is libcuda.so.1.
            throw new NativeLibraryException("the CUDA driver bindings could not open libcuda.so.1 although " + lib.candidate()
                    + " loaded (is its soname libcuda.so.1?): " + e);
        }
        return driver;
    }

    /** The file the driver was loaded from, when known, else the name it was loaded by. */
    public String libraryFile() {
        return library.file() != null ? library.file() : library.candidate().name();
    }

    // ------------------------------------------------------------------------------------------ errors

    /** Returns for CUDA_SUCCESS; otherwise throws a {@link CudaException} with the driver's name and description of the status. */
    public void check(int status, String call) {
        if (status != 0) {
            throw new CudaException(call, status, errorName(status), errorString(status));
        }
    }

    /** cuGetErrorName, or the built-in table when the driver does not know the code. */
    public String errorName(int status) {
        String name = errorText(status, true);
        return name != null ? name : CudaErrorNames.nameOf(status);
    }

    /** cuGetErrorString, or null when the driver does not know the code. */
    public String errorString(int status) {
        return errorText(status, false);
    }

    private static String errorText(int status, boolean name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            int rc = name ? cuGetErrorName(status, out) : cuGetErrorString(status, out);
            MemorySegment text = out.get(ValueLayout.ADDRESS, 0);
            if (rc != 0 || text.equals(MemorySegment.NULL)) {
                return null;
            }
            return text.reinterpret(1024).getString(0);
        } catch (RuntimeException e) {
            return null;
        }
    }

    // ----------------------------------------------------------------------------------------- devices

    public int driverVersion() {
        return intOut(out -> cuDriverGetVersion(out), "cuDriverGetVersion");
    }

    public int deviceCount() {
        return intOut(out -> cuDeviceGetCount(out), "cuDeviceGetCount");
    }

    /** The CUdevice handle of device {@code ordinal}. */
    public int device(int ordinal) {
        return intOut(out -> cuDeviceGet(out, ordinal), "cuDeviceGet(" + ordinal + ")");
    }

    public String deviceName(int device) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocate(256);
            check(cuDeviceGetName(name, 256, device), "cuDeviceGetName");
            return name.getString(0);
        }
    }

    /** cuDeviceGetAttribute, e.g. {@code CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT()}. */
    public int attribute(int attribute, int device) {
        return intOut(out -> cuDeviceGetAttribute(out, attribute, device), "cuDeviceGetAttribute(" + attribute + ")");
    }

    public long totalMemory(int device) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.JAVA_LONG);
            check(cuDeviceTotalMem_v2(out, device), "cuDeviceTotalMem");
            return out.get(ValueLayout.JAVA_LONG, 0);
        }
    }

    /** Free and total device memory of the current context, in bytes. */
    public record MemoryInfo(long free, long total) {
    }

    public MemoryInfo memoryInfo() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment free = arena.allocate(ValueLayout.JAVA_LONG);
            MemorySegment total = arena.allocate(ValueLayout.JAVA_LONG);
            check(cuMemGetInfo_v2(free, total), "cuMemGetInfo");
            return new MemoryInfo(free.get(ValueLayout.JAVA_LONG, 0), total.get(ValueLayout.JAVA_LONG, 0));
        }
    }

    // ---------------------------------------------------------------------------------------- contexts

    /** Retains the device's primary context (CUDA 13's cuCtxCreate is a _v4 signature; the primary context is simpler). */
    public MemorySegment retainPrimaryContext(int device) {
        return handleOut(out -> cuDevicePrimaryCtxRetain(out, device), "cuDevicePrimaryCtxRetain(" + device + ")");
    }

    public void releasePrimaryContext(int device) {
        check(cuDevicePrimaryCtxRelease_v2(device), "cuDevicePrimaryCtxRelease(" + device + ")");
    }

    /** Makes {@code context} current on the calling thread. */
    public void setCurrent(MemorySegment context) {
        check(cuCtxSetCurrent(context), "cuCtxSetCurrent");
    }

    public void synchronizeContext() {
        check(cuCtxSynchronize(), "cuCtxSynchronize");
    }

    // ------------------------------------------------------------------------------------------ memory

    /** cuMemAlloc: {@code bytes} of device memory (at least 256-byte aligned). */
    public long allocate(long bytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.JAVA_LONG);
            check(cuMemAlloc_v2(out, bytes), "cuMemAlloc(" + bytes + " bytes)");
            return out.get(ValueLayout.JAVA_LONG, 0);
        }
    }

    public void free(long address) {
        check(cuMemFree_v2(address), "cuMemFree");
    }

    /** Host to device, ordered on {@code stream}; {@code src} may be reused once this returns. */
    public void copyToDevice(long dst, MemorySegment src, long bytes, MemorySegment stream) {
        int rc = cuMemcpyHtoDAsync_v2(dst, src, bytes, stream);
        if (rc != 0) {
            check(rc, "cuMemcpyHtoDAsync(" + bytes + " bytes)");
        }
    }

    /** Device to host, ordered on {@code stream}, complete when this returns. */
    public void copyToHost(MemorySegment dst, long src, long bytes, MemorySegment stream) {
        int rc = cuMemcpyDtoHAsync_v2(dst, src, bytes, stream);
        if (rc != 0) {
            check(rc, "cuMemcpyDtoHAsync(" + bytes + " bytes)");
        }
        synchronize(stream);
    }

    public void copyOnDevice(long dst, long src, long bytes, MemorySegment stream) {
        int rc = cuMemcpyDtoDAsync_v2(dst, src, bytes, stream);
        if (rc != 0) {
            check(rc, "cuMemcpyDtoDAsync(" + bytes + " bytes)");
        }
    }

    public void memset8(long dst, byte value, long count, MemorySegment stream) {
        int rc = cuMemsetD8Async(dst, value, count, stream);
        if (rc != 0) {
            check(rc, "cuMemsetD8Async(" + count + " bytes)");
        }
    }

    public void memset32(long dst, int value, long count, MemorySegment stream) {
        int rc = cuMemsetD32Async(dst, value, count, stream);
        if (rc != 0) {
            check(rc, "cuMemsetD32Async(" + count + " words)");
        }
    }

    // ----------------------------------------------------------------------------------------- streams

    /** A stream that does not synchronise with the legacy default stream. */
    public MemorySegment createStream() {
        return handleOut(out -> cuStreamCreate(out, CU_STREAM_NON_BLOCKING()), "cuStreamCreate");
    }

    public void synchronize(MemorySegment stream) {
        check(cuStreamSynchronize(stream), "cuStreamSynchronize");
    }

    public void destroyStream(MemorySegment stream) {
        check(cuStreamDestroy_v2(stream), "cuStreamDestroy");
    }

    public MemorySegment createEvent() {
        return handleOut(out -> cuEventCreate(out, CU_EVENT_DEFAULT()), "cuEventCreate");
    }

    public void record(MemorySegment event, MemorySegment stream) {
        check(cuEventRecord(event, stream), "cuEventRecord");
    }

    public void synchronizeEvent(MemorySegment event) {
        check(cuEventSynchronize(event), "cuEventSynchronize");
    }

    /** Milliseconds between two recorded events (cuEventElapsedTime_v2, drivers of CUDA 12.8 or later). */
    public float elapsedMillis(MemorySegment start, MemorySegment end) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.JAVA_FLOAT);
            check(cuEventElapsedTime_v2(out, start, end), "cuEventElapsedTime");
            return out.get(ValueLayout.JAVA_FLOAT, 0);
        }
    }

    public void destroyEvent(MemorySegment event) {
        check(cuEventDestroy_v2(event), "cuEventDestroy");
    }

    // ----------------------------------------------------------------------------------------- modules

    /** Loads a fatbin, cubin or NUL-terminated PTX image (the image must be native memory). */
    public MemorySegment loadModule(MemorySegment image, String what) {
        return handleOut(out -> cuModuleLoadData(out, image), "cuModuleLoadData(" + what + ")");
    }

    public void unloadModule(MemorySegment module) {
        check(cuModuleUnload(module), "cuModuleUnload");
    }

    public MemorySegment function(MemorySegment module, String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cName = arena.allocateFrom(name);
            return handleOut(out -> cuModuleGetFunction(out, module, cName), "cuModuleGetFunction(" + name + ")");
        }
    }

    /** Lets {@code function} use up to {@code bytes} of dynamic shared memory (needed above 48 KiB). */
    public void setMaxDynamicSharedMemory(MemorySegment function, int bytes, String name) {
        check(cuFuncSetAttribute(function, CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES(), bytes),
                "cuFuncSetAttribute(" + name + ", max dynamic shared memory " + bytes + ")");
    }

    /** Launches {@code function} on {@code stream} with the parameters in {@code args}. */
    public void launch(MemorySegment function, String name, int gridX, int gridY, int gridZ, int blockX, int blockY, int blockZ,
                       int sharedBytes, MemorySegment stream, KernelArgs args) {
        int rc = cuLaunchKernel(function, gridX, gridY, gridZ, blockX, blockY, blockZ, sharedBytes, stream,
                args.pointerArray(), MemorySegment.NULL);
        if (rc != 0) {
            check(rc, "cuLaunchKernel(" + name + ", grid " + gridX + "x" + gridY + "x" + gridZ + ", block " + blockX + "x" + blockY
                    + "x" + blockZ + ", " + sharedBytes + " bytes shared)");
        }
    }

    // -------------------------------------------------------------------------------------------- util

    @FunctionalInterface
    private interface OutCall {
        int call(MemorySegment out);
    }

    private int intOut(OutCall call, String what) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.JAVA_INT);
            check(call.call(out), what);
            return out.get(ValueLayout.JAVA_INT, 0);
        }
    }

    private MemorySegment handleOut(OutCall call, String what) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            check(call.call(out), what);
            return out.get(ValueLayout.ADDRESS, 0);
        }
    }
}
