package org.emma4j.bindings;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.List;

/**
 * Answers "can emma4j use a GPU here?" without ever throwing. It opens the CUDA driver itself (with its own
 * few downcall handles, never the generated bindings, whose static initialiser would fail without a
 * driver), calls cuInit and inspects the device, then checks that cuBLAS loads. Nothing runs at class
 * initialisation; every failure becomes {@link Result#usable()} false with a reason a person can act on.
 */
public final class CudaProbe {
    private CudaProbe() {
    }

    /** The oldest GPU the kernels are built for (sm_80, Ampere: native bf16). */
    public static final int MIN_COMPUTE_MAJOR = 8;

    // CUdevice_attribute codes from cuda.h (stable since CUDA 6).
    private static final int ATTR_CC_MAJOR = 75;
    private static final int ATTR_CC_MINOR = 76;
    private static final int ATTR_SM_COUNT = 16;

    /**
     * What the probe found.
     *
     * @param usable          true when device {@code ordinal} can run the CUDA backend
     * @param reason          why not (or a one-line summary of the device when usable)
     * @param deviceCount     devices the driver sees (0 when it could not be asked)
     * @param deviceName      the device's name, or null
     * @param computeMajor    compute capability, major (0 when unknown)
     * @param computeMinor    compute capability, minor
     * @param totalMemory     device memory in bytes (0 when unknown)
     * @param multiprocessors streaming multiprocessors (0 when unknown)
     * @param driverVersion   cuDriverGetVersion, e.g. 13000 (0 when unknown)
     * @param driverLibrary   where libcuda came from, or null
     * @param cublasLibrary   where libcublas came from, or null
     */
    public record Result(boolean usable, String reason, int deviceCount, String deviceName, int computeMajor, int computeMinor,
                         long totalMemory, int multiprocessors, int driverVersion, String driverLibrary, String cublasLibrary) {

        /** "9.0", or "unknown". */
        public String computeCapability() {
            return computeMajor == 0 ? "unknown" : computeMajor + "." + computeMinor;
        }

        static Result unusable(String reason) {
            return new Result(false, reason, 0, null, 0, 0, 0, 0, 0, null, null);
        }
    }

    /** Probes device 0 with the libraries chosen by system properties, environment or default sonames. */
    public static Result probe() {
        return probe(0);
    }

    /** Probes device {@code ordinal} with the default library search. */
    public static Result probe(int ordinal) {
        try {
            return probe(LibrarySearch.cudaDriver().candidates(), LibrarySearch.cublas().candidates(), ordinal);
        } catch (Throwable t) {
            return Result.unusable("the CUDA probe failed unexpectedly: " + t);
        }
    }

    /** Probes device {@code ordinal} with explicit library candidates. Never throws. */
    public static Result probe(List<LibrarySearch.Candidate> driverCandidates, List<LibrarySearch.Candidate> cublasCandidates,
                               int ordinal) {
        try {
            return run(driverCandidates, cublasCandidates, ordinal);
        } catch (Throwable t) {
            return Result.unusable("the CUDA probe failed unexpectedly: " + t);
        }
    }

    private static Result run(List<LibrarySearch.Candidate> driverCandidates, List<LibrarySearch.Candidate> cublasCandidates,
                              int ordinal) throws Throwable {
        NativeLibraryLoader.Loaded driver;
        try {
            driver = NativeLibraryLoader.open(LibrarySearch.cudaDriver(), driverCandidates, "cuInit", false);
        } catch (NativeLibraryException e) {
            return Result.unusable("no usable NVIDIA driver: " + e.getMessage());
        }
        String driverFile = driver.file() != null ? driver.file() : driver.candidate().name();
        Calls cu = new Calls(driver.lookup());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment intOut = arena.allocate(ValueLayout.JAVA_INT);
            int rc = (int) cu.init.invokeExact(0);
            if (rc != 0) {
                return Result.unusable("cuInit failed with " + cu.errorName(rc, arena) + " (" + rc + ") using " + driverFile);
            }
            int version = (int) cu.driverVersion.invokeExact(intOut) == 0 ? intOut.get(ValueLayout.JAVA_INT, 0) : 0;
            rc = (int) cu.deviceCount.invokeExact(intOut);
            if (rc != 0) {
                return Result.unusable("cuDeviceGetCount failed with " + cu.errorName(rc, arena) + " (" + rc + ")");
            }
            int count = intOut.get(ValueLayout.JAVA_INT, 0);
            if (ordinal < 0 || ordinal >= count) {
                return new Result(false, count == 0 ? "the driver (" + driverFile + ", version " + version + ") sees no CUDA device"
                        : "device " + ordinal + " was asked for but the driver sees " + count + " device(s)",
                        count, null, 0, 0, 0, 0, version, driverFile, null);
            }
            rc = (int) cu.deviceGet.invokeExact(intOut, ordinal);
            if (rc != 0) {
                return Result.unusable("cuDeviceGet(" + ordinal + ") failed with " + cu.errorName(rc, arena) + " (" + rc + ")");
            }
            int device = intOut.get(ValueLayout.JAVA_INT, 0);
            MemorySegment nameBuf = arena.allocate(256);
            String name = (int) cu.deviceName.invokeExact(nameBuf, 256, device) == 0 ? nameBuf.getString(0) : "device " + ordinal;
            int major = attribute(cu, intOut, ATTR_CC_MAJOR, device);
            int minor = attribute(cu, intOut, ATTR_CC_MINOR, device);
            int sms = attribute(cu, intOut, ATTR_SM_COUNT, device);
            MemorySegment longOut = arena.allocate(ValueLayout.JAVA_LONG);
            long memory = (int) cu.totalMem.invokeExact(longOut, device) == 0 ? longOut.get(ValueLayout.JAVA_LONG, 0) : 0;
            if (major < MIN_COMPUTE_MAJOR) {
                return new Result(false, name + " has compute capability " + major + "." + minor + "; emma4j's CUDA kernels need "
                        + MIN_COMPUTE_MAJOR + ".0 or newer (bf16)", count, name, major, minor, memory, sms, version, driverFile, null);
            }
            String cublasFile;
            try {
                cublasFile = CublasLibrary.open(cublasCandidates).libraryFile();
            } catch (NativeLibraryException e) {
                return new Result(false, "found " + name + " but no cuBLAS: " + e.getMessage(), count, name, major, minor, memory, sms,
                        version, driverFile, null);
            }
            String summary = String.format("%s (compute %d.%d, %d SMs, %.1f GiB), driver %d.%d, %s, %s", name, major, minor, sms,
                    memory / (double) (1L << 30), version / 1000, version % 1000 / 10, driverFile, cublasFile);
            return new Result(true, summary, count, name, major, minor, memory, sms, version, driverFile, cublasFile);
        }
    }

    private static int attribute(Calls cu, MemorySegment out, int attribute, int device) throws Throwable {
        return (int) cu.attribute.invokeExact(out, attribute, device) == 0 ? out.get(ValueLayout.JAVA_INT, 0) : 0;
    }

    /** The handful of driver entry points the probe needs, bound to the library it opened. */
    private static final class Calls {
        final MethodHandle init;
        final MethodHandle driverVersion;
        final MethodHandle deviceCount;
        final MethodHandle deviceGet;
        final MethodHandle deviceName;
        final MethodHandle attribute;
        final MethodHandle totalMem;
        final MethodHandle errorName;

        Calls(SymbolLookup lib) {
            ValueLayout.OfInt i = ValueLayout.JAVA_INT;
            ValueLayout p = ValueLayout.ADDRESS;
            init = bind(lib, "cuInit", FunctionDescriptor.of(i, i));
            driverVersion = bind(lib, "cuDriverGetVersion", FunctionDescriptor.of(i, p));
            deviceCount = bind(lib, "cuDeviceGetCount", FunctionDescriptor.of(i, p));
            deviceGet = bind(lib, "cuDeviceGet", FunctionDescriptor.of(i, p, i));
            deviceName = bind(lib, "cuDeviceGetName", FunctionDescriptor.of(i, p, i, i));
            attribute = bind(lib, "cuDeviceGetAttribute", FunctionDescriptor.of(i, p, i, i));
            totalMem = bind(lib, "cuDeviceTotalMem_v2", FunctionDescriptor.of(i, p, i));
            errorName = bind(lib, "cuGetErrorName", FunctionDescriptor.of(i, i, p));
        }

        private static MethodHandle bind(SymbolLookup lib, String name, FunctionDescriptor d) {
            MemorySegment symbol = lib.find(name).orElseThrow(() ->
                    new IllegalStateException("the CUDA driver library does not export " + name + " (driver too old?)"));
            return Linker.nativeLinker().downcallHandle(symbol, d);
        }

        /** The driver's name for a status, or the built-in one. */
        String errorName(int status, Arena arena) {
            try {
                MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
                int rc = (int) errorName.invokeExact(status, out);
                MemorySegment s = out.get(ValueLayout.ADDRESS, 0);
                if (rc == 0 && !s.equals(MemorySegment.NULL)) {
                    return s.reinterpret(256).getString(0);
                }
            } catch (Throwable ignored) {
                // fall through to the table
            }
            return CudaErrorNames.nameOf(status);
        }
    }
}
