package org.emma4j.kernels.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.emma4j.bindings.CudaDriver;

/**
 * emma4j's kernels on one device: the fatbin shipped in the emma4j-native jar, loaded with cuModuleLoadData,
 * and its functions looked up once each. A kernel image given by the system property {@code emma4j.cuda.kernels}
 * or the environment variable {@code EMMA4J_CUDA_KERNELS} (a fatbin, cubin or .ptx file, for example compiled
 * by the GPU machine's own NVRTC with bench/gpu/nvrtc_compile.py when its driver is older than the build's
 * nvcc) replaces the shipped one.
 */
final class CudaModule implements AutoCloseable {
    static final String FATBIN_RESOURCE = "/org/emma4j/cuda/emma4j_kernels.fatbin";
    static final String STATUS_RESOURCE = "/org/emma4j/cuda/emma4j_kernels.status";

    private final CudaDriver driver;
    private final MemorySegment module;
    private final int maxDynamicShared;
    private final Map<CudaKernel, MemorySegment> functions = new EnumMap<>(CudaKernel.class);

    /**
     * @param maxDynamicShared the device's opt-in shared memory per block, granted to the attention kernels
     */
    CudaModule(CudaDriver driver, int maxDynamicShared) {
        this.driver = driver;
        this.maxDynamicShared = maxDynamicShared;
        String override = System.getProperty("emma4j.cuda.kernels", System.getenv("EMMA4J_CUDA_KERNELS"));
        byte[] image = override == null || override.isBlank() ? readFatbin() : readImage(Path.of(override.strip()));
        String what = (override == null || override.isBlank() ? FATBIN_RESOURCE : override.strip()) + " (" + image.length + " bytes)";
        try (Arena arena = Arena.ofConfined()) {
            // A PTX image must end with NUL; the zeroed extra byte is harmless for binary images.
            MemorySegment staged = arena.allocate(image.length + 1L, 16);
            staged.copyFrom(MemorySegment.ofArray(image));
            this.module = driver.loadModule(staged, what);
        }
    }

    /** The fatbin's bytes, or a clear failure saying why the build left it out. */
    static byte[] readFatbin() {
        try (InputStream in = CudaModule.class.getResourceAsStream(FATBIN_RESOURCE)) {
            if (in != null) {
                return in.readAllBytes();
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not read " + FATBIN_RESOURCE + ": " + e.getMessage(), e);
        }
        throw new IllegalStateException("the CUDA kernels are missing: no " + FATBIN_RESOURCE + " on the class path ("
                + buildStatus() + "); rebuild emma4j-native on a machine with nvcc");
    }

    /** A kernel image from a file (the override). */
    static byte[] readImage(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalStateException("could not read the CUDA kernel image " + file + " (emma4j.cuda.kernels / EMMA4J_CUDA_KERNELS): "
                    + e.getMessage(), e);
        }
    }

    /** What native/build-cuda.sh recorded about the fatbin ("built: ..." or "skipped: ..."), or why that is unknown. */
    static String buildStatus() {
        try (InputStream in = CudaModule.class.getResourceAsStream(STATUS_RESOURCE)) {
            return in == null ? "no " + STATUS_RESOURCE + " either: is emma4j-native on the class path?"
                    : new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "could not read " + STATUS_RESOURCE + ": " + e.getMessage();
        }
    }

    /** The kernel's function handle, looked up on first use. */
    MemorySegment function(CudaKernel kernel) {
        MemorySegment f = functions.get(kernel);
        if (f == null) {
            f = driver.function(module, kernel.symbol);
            if (kernel.largeSharedMemory()) {
                driver.setMaxDynamicSharedMemory(f, maxDynamicShared, kernel.symbol);
            }
            functions.put(kernel, f);
        }
        return f;
    }

    int maxDynamicShared() {
        return maxDynamicShared;
    }

    @Override
    public void close() {
        driver.unloadModule(module);
    }
}
