package org.emma4j.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The generated cuBLAS bindings against a real libcublas when one is found (EMMA4J_CUBLAS_LIBRARY, or the
 * default sonames): status names and the cuBLASLt version need no GPU; creating a handle without a GPU
 * must fail with an exception naming cublasCreate. Skipped with the loader's reason when there is no cuBLAS.
 */
class CublasLibraryTest {

    private static CublasLibrary openOrSkip() {
        try {
            return CublasLibrary.open();
        } catch (NativeLibraryException e) {
            Assumptions.abort("no cuBLAS here (" + e.getMessage() + ")");
            throw e;
        }
    }

    @Test
    void statusNamesComeFromTheLibrary() {
        CublasLibrary cublas = openOrSkip();
        assertEquals("CUBLAS_STATUS_NOT_INITIALIZED", cublas.statusName(1));
        assertEquals("CUBLAS_STATUS_EXECUTION_FAILED", cublas.statusName(13));
        assertTrue(cublas.ltVersion() >= 120000, "cuBLASLt version " + cublas.ltVersion());
        CudaException e = assertThrows(CudaException.class, () -> cublas.check(7, "cublasGemmEx(m=1, n=1, k=1)"));
        assertTrue(e.getMessage().startsWith("cublasGemmEx(m=1, n=1, k=1) failed with CUBLAS_STATUS_INVALID_VALUE (7)"), e.getMessage());
    }

    @Test
    void aHandleWithoutAGpuFailsByName() {
        CublasLibrary cublas = openOrSkip();
        Assumptions.assumeFalse(CudaProbe.probe().usable(), "a GPU is usable here; handle creation is tested by the CUDA backend");
        CudaException e = assertThrows(CudaException.class, cublas::createHandle);
        assertEquals("cublasCreate", e.call());
        assertTrue(e.errorName().startsWith("CUBLAS_STATUS_"), e.getMessage());
    }
}
