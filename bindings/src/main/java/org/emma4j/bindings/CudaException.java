package org.emma4j.bindings;

/**
 * A CUDA driver or cuBLAS call returned an error status. The message names the call, the status's name
 * (for example {@code CUDA_ERROR_OUT_OF_MEMORY}) and its number, and the driver's description when known.
 */
public final class CudaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String call;
    private final int status;
    private final String errorName;

    /**
     * @param call        the failing call as the user would recognise it, e.g. {@code "cuMemAlloc(1073741824 bytes)"}
     * @param status      the returned status code
     * @param errorName   the status's name
     * @param description the library's description of the status, or null
     */
    public CudaException(String call, int status, String errorName, String description) {
        super(call + " failed with " + errorName + " (" + status + ")"
                + (description == null || description.isBlank() ? "" : ": " + description));
        this.call = call;
        this.status = status;
        this.errorName = errorName;
    }

    /** The call that failed. */
    public String call() {
        return call;
    }

    /** The status code it returned. */
    public int status() {
        return status;
    }

    /** The status's name, e.g. CUDA_ERROR_NO_DEVICE or CUBLAS_STATUS_NOT_INITIALIZED. */
    public String errorName() {
        return errorName;
    }
}
