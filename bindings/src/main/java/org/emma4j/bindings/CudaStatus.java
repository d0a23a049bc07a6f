package org.emma4j.bindings;

/**
 * Turns CUDA status codes into exceptions using the built-in name tables only (no driver call): for code
 * that runs when the driver may be absent, and for tests. {@link CudaDriver#check} asks the driver first.
 */
public final class CudaStatus {
    private CudaStatus() {
    }

    /** Returns normally for CUDA_SUCCESS (0); otherwise throws a {@link CudaException} naming the status and the call. */
    public static void check(int status, String call) {
        if (status != 0) {
            throw new CudaException(call, status, CudaErrorNames.nameOf(status), null);
        }
    }

    /** The same for a cuBLAS status (CUBLAS_STATUS_SUCCESS is 0). */
    public static void checkCublas(int status, String call) {
        if (status != 0) {
            throw new CudaException(call, status, CudaErrorNames.cublasNameOf(status), null);
        }
    }
}
