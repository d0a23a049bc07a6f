package org.emma4j.bindings;

import static org.emma4j.bindings.cublas.cublas_h.*;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * cuBLAS, loaded: the jextract bindings in {@code org.emma4j.bindings.cublas} resolve their symbols in the
 * class loader's lookup, so this class loads the library there (System.load of its absolute path) before
 * any of them is touched. Status names come from cublasGetStatusName, which needs no GPU.
 */
public final class CublasLibrary {
    private final NativeLibraryLoader.Loaded library;

    private CublasLibrary(NativeLibraryLoader.Loaded library) {
        this.library = library;
    }

    /** Loads cuBLAS as {@link LibrarySearch#cublas()} says (emma4j.cublas.library, EMMA4J_CUBLAS_LIBRARY, libcublas.so.13, .12). */
    public static CublasLibrary open() {
        return open(LibrarySearch.cublas().candidates());
    }

    public static CublasLibrary open(List<LibrarySearch.Candidate> candidates) {
        return new CublasLibrary(NativeLibraryLoader.open(LibrarySearch.cublas(), candidates, "cublasCreate_v2", true));
    }

    /** The file cuBLAS was loaded from. */
    public String libraryFile() {
        return library.file();
    }

    /** Returns for CUBLAS_STATUS_SUCCESS; otherwise throws a {@link CudaException} naming the call and the status. */
    public void check(int status, String call) {
        if (status != 0) {
            throw new CudaException(call, status, statusName(status), statusDescription(status));
        }
    }

    /** cublasGetStatusName (no GPU needed), or the built-in table when it does not answer. */
    public String statusName(int status) {
        String s = text(cublasGetStatusName(status));
        return s != null && s.startsWith("CUBLAS_STATUS_") ? s : CudaErrorNames.cublasNameOf(status);
    }

    public String statusDescription(int status) {
        return text(cublasGetStatusString(status));
    }

    /** cuBLASLt's version number, e.g. 130101 (no GPU needed). */
    public long ltVersion() {
        return cublasLtGetVersion();
    }

    /** A new handle bound to the current context (needs a GPU). */
    public CublasHandle createHandle() {
        return new CublasHandle(this);
    }

    private static String text(MemorySegment s) {
        return s == null || s.equals(MemorySegment.NULL) ? null : s.reinterpret(1024).getString(0);
    }
}
