package org.emma4j.bindings;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Builds fake_cuda.c (a stand-in libcuda.so.1, see its comment) with the machine's C compiler, once per
 * test JVM, so the probe and the generated bindings run real downcalls on machines without a GPU.
 * Tests that need it are skipped, with the reason, when there is no C compiler or a real driver loads
 * (the fake would then be shadowed by the real libcuda.so.1).
 */
final class FakeCudaDriver {
    private FakeCudaDriver() {
    }

    private static Path built;
    private static String unavailable;

    /** The fake library's path; skips the calling test when it cannot be built or used. */
    static synchronized Path path() {
        if (built == null && unavailable == null) {
            build();
        }
        Assumptions.assumeTrue(built != null, unavailable);
        return built;
    }

    /** Chooses what the fake answers (0: no device, 1: a compute 7.5 device, 2: a compute 9.0 device). */
    static void setMode(int mode) {
        try {
            SymbolLookup lib = SymbolLookup.libraryLookup(path(), Arena.global());
            MethodHandle set = Linker.nativeLinker().downcallHandle(lib.findOrThrow("fake_set_mode"),
                    FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT));
            set.invokeExact(mode);
        } catch (Throwable t) {
            throw new AssertionError("fake_set_mode failed", t);
        }
    }

    private static void build() {
        try {
            if (canOpen("libcuda.so.1")) {
                unavailable = "a real libcuda.so.1 is installed; the fake driver would be shadowed by it";
                return;
            }
            Path dir = Files.createTempDirectory("emma4j-fake-cuda");
            Path source = dir.resolve("fake_cuda.c");
            try (InputStream in = FakeCudaDriver.class.getResourceAsStream("fake_cuda.c")) {
                if (in == null) {
                    throw new IOException("test resource fake_cuda.c is missing");
                }
                Files.copy(in, source);
            }
            Path lib = dir.resolve("libcuda.so.1");
            Process p = new ProcessBuilder("cc", "-shared", "-fPIC", "-Wl,-soname,libcuda.so.1", "-o", lib.toString(), source.toString())
                    .redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                unavailable = "cc could not build the fake CUDA driver: " + output;
                return;
            }
            built = lib;
        } catch (IOException e) {
            unavailable = "no C compiler (cc) to build the fake CUDA driver: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unavailable = "interrupted while building the fake CUDA driver";
        }
    }

    private static boolean canOpen(String soname) {
        try (Arena arena = Arena.ofConfined()) {
            SymbolLookup.libraryLookup(soname, arena);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
