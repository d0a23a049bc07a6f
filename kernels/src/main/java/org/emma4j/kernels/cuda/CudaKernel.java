package org.emma4j.kernels.cuda;

/** The kernels of emma4j_kernels.fatbin (native/src/main/cuda), by their extern "C" names. */
enum CudaKernel {
    FILL16("emma4j_fill16"),
    CAST("emma4j_cast"),
    SCALE("emma4j_scale"),
    ADD("emma4j_add"),
    ACCUMULATE("emma4j_accumulate"),
    SUM_SQUARES_PARTIAL("emma4j_sum_squares_partial"),
    SUM_PARTIALS("emma4j_sum_partials"),
    RMSNORM_FORWARD("emma4j_rmsnorm_forward"),
    RMSNORM_BACKWARD("emma4j_rmsnorm_backward"),
    RMSNORM_DWEIGHT("emma4j_rmsnorm_dweight"),
    ROPE("emma4j_rope"),
    SWIGLU_FORWARD("emma4j_swiglu_forward"),
    SWIGLU_BACKWARD("emma4j_swiglu_backward"),
    CHECK_INDICES("emma4j_check_indices"),
    EMBEDDING_FORWARD("emma4j_embedding_forward"),
    EMBEDDING_BACKWARD("emma4j_embedding_backward"),
    CROSS_ENTROPY("emma4j_cross_entropy"),
    ADAMW("emma4j_adamw"),
    ATTENTION_FORWARD("emma4j_attention_forward"),
    ATTENTION_BACKWARD_DELTA("emma4j_attention_backward_delta"),
    ATTENTION_BACKWARD("emma4j_attention_backward");

    final String symbol;

    CudaKernel(String symbol) {
        this.symbol = symbol;
    }

    /** Kernels whose dynamic shared memory may exceed the default 48 KiB (they opt in at module load). */
    boolean largeSharedMemory() {
        return this == ATTENTION_FORWARD || this == ATTENTION_BACKWARD;
    }
}
