package org.emma4j.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * OpenBLAS's {@code cblas_sgemm} through the FFM linker: the baseline the GEMM benchmark compares against, measured
 * in the same run. Debian's {@code libopenblas0-pthread} provides the library; when it is missing the benchmark
 * says so and skips the baseline.
 *
 * <p>OpenBLAS 0.3.21 (Debian 12) does not recognise recent Xeons (Sapphire/Emerald Rapids, or any model it has no
 * table entry for) and falls back to its generic "Prescott" SSE3 kernels, several times slower than its AVX-512
 * ones. So that the baseline is OpenBLAS at its best, on a CPU with AVX-512F and unless the environment already
 * sets {@code OPENBLAS_CORETYPE}, this class sets it to {@code SkylakeX} (OpenBLAS's AVX-512 kernels) before the
 * library is loaded, and reports the core OpenBLAS chose.
 *
 * <p>After each call OpenBLAS's worker threads spin for 2^28 cycles (~0.1 s) before they sleep, on the cores
 * emma4j's next call in the same benchmark then needs. Unless the environment sets
 * {@code OPENBLAS_THREAD_TIMEOUT}, this class sets it to 4 (its minimum: the workers sleep at once and are woken
 * by the next call, microseconds against a product's milliseconds).
 */
public final class OpenBlas {
    private static final int ROW_MAJOR = 101;
    private static final int NO_TRANS = 111;
    private static final int TRANS = 112;
    private static final List<String> CANDIDATES = List.of(
            "/usr/lib/x86_64-linux-gnu/libopenblas.so.0",
            "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0",
            "/usr/lib/aarch64-linux-gnu/libopenblas.so.0",
            "/usr/lib64/libopenblas.so.0",
            "/usr/lib/libopenblas.so.0");

    private static final String CORE_TYPE_VARIABLE = "OPENBLAS_CORETYPE";
    private static final String AVX512_CORE = "SkylakeX";
    private static final String THREAD_TIMEOUT_VARIABLE = "OPENBLAS_THREAD_TIMEOUT";
    private static final String SHORTEST_THREAD_TIMEOUT = "4";

    private final MethodHandle sgemm;
    private final MethodHandle setThreads;
    private final String path;
    private final String coreName;

    private OpenBlas(SymbolLookup lib, String path) {
        Linker linker = Linker.nativeLinker();
        ValueLayout i = ValueLayout.JAVA_INT;
        ValueLayout f = ValueLayout.JAVA_FLOAT;
        ValueLayout p = ValueLayout.ADDRESS;
        this.sgemm = linker.downcallHandle(lib.find("cblas_sgemm").orElseThrow(),
                FunctionDescriptor.ofVoid(i, i, i, i, i, i, f, p, i, p, i, f, p, i));
        this.setThreads = linker.downcallHandle(lib.find("openblas_set_num_threads").orElseThrow(), FunctionDescriptor.ofVoid(i));
        this.path = path;
        this.coreName = callCoreName(linker, lib);
    }

    private static String callCoreName(Linker linker, SymbolLookup lib) {
        try {
            MethodHandle h = linker.downcallHandle(lib.find("openblas_get_corename").orElseThrow(), FunctionDescriptor.of(ValueLayout.ADDRESS));
            MemorySegment name = (MemorySegment) h.invokeExact();
            return name.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "unknown";
        }
    }

    /** The library, or empty (with the reason on stderr) when no libopenblas is installed. */
    public static Optional<OpenBlas> load() {
        for (String candidate : CANDIDATES) {
            if (Files.exists(Path.of(candidate))) {
                chooseAvx512Kernels();
                setIfUnset(THREAD_TIMEOUT_VARIABLE, SHORTEST_THREAD_TIMEOUT, "idle OpenBLAS threads sleep instead of spinning");
                OpenBlas blas = new OpenBlas(SymbolLookup.libraryLookup(Path.of(candidate), Arena.global()), candidate);
                System.err.println("OpenBLAS " + candidate + " runs its '" + blas.coreName + "' kernels");
                return Optional.of(blas);
            }
        }
        System.err.println("OpenBLAS not found (looked at " + CANDIDATES + "); the OpenBLAS baseline is skipped. "
                + "Install it with: apt-get install -y libopenblas0-pthread");
        return Optional.empty();
    }

    /** Sets OPENBLAS_CORETYPE=SkylakeX in this process's environment when the CPU has AVX-512F and it is not set yet. */
    private static void chooseAvx512Kernels() {
        if (cpuHasAvx512()) {
            setIfUnset(CORE_TYPE_VARIABLE, AVX512_CORE, "AVX-512 CPU");
        }
    }

    /** Sets an environment variable of this process (read by OpenBLAS when it loads) unless it is set already. */
    private static void setIfUnset(String variable, String value, String why) {
        if (System.getenv(variable) != null) {
            return;
        }
        Linker linker = Linker.nativeLinker();
        MethodHandle setenv = linker.downcallHandle(linker.defaultLookup().find("setenv").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        try (Arena arena = Arena.ofConfined()) {
            int rc = (int) setenv.invokeExact(arena.allocateFrom(variable), arena.allocateFrom(value), 0);
            if (rc == 0) {
                System.err.println("OpenBLAS: set " + variable + "=" + value + " (" + why + "; set the variable to override)");
            }
        } catch (Throwable t) {
            System.err.println("OpenBLAS: could not set " + variable + ": " + t);
        }
    }

    private static boolean cpuHasAvx512() {
        try {
            return Files.readString(Path.of("/proc/cpuinfo")).contains(" avx512f");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** The kernel family OpenBLAS picked for this CPU (e.g. SkylakeX, Haswell, Prescott). */
    public String coreName() {
        return coreName;
    }

    public String path() {
        return path;
    }

    public void setThreads(int threads) {
        try {
            setThreads.invokeExact(threads);
        } catch (Throwable t) {
            throw new IllegalStateException("openblas_set_num_threads failed", t);
        }
    }

    /** Row-major {@code c[m, n] = alpha · op(a) · op(b) + beta · c}, with a, b, c dense F32 in native memory. */
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, MemorySegment a, MemorySegment b,
                      float beta, MemorySegment c) {
        int lda = transA ? m : k;
        int ldb = transB ? k : n;
        try {
            sgemm.invokeExact(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k, alpha, a, lda, b, ldb, beta, c, n);
        } catch (Throwable t) {
            throw new IllegalStateException("cblas_sgemm failed", t);
        }
    }
}
