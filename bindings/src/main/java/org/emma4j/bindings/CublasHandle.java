package org.emma4j.bindings;

import static org.emma4j.bindings.cublas.cublas_h.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A cuBLAS handle on one stream running column-major GEMMs with fp32 compute (CUBLAS_COMPUTE_32F in the
 * default math mode: bf16 and f16 operands use tensor cores with fp32 accumulation, f32 operands stay f32,
 * never TF32, so f32 products keep f32 accuracy). Callers map row-major products
 * themselves (C = A·B row-major is Cᵀ = Bᵀ·Aᵀ column-major). Not thread-safe.
 */
public final class CublasHandle implements AutoCloseable {
    /** cudaDataType codes of the operand types emma4j uses. */
    public static final int R_32F = CUDA_R_32F();
    public static final int R_16F = CUDA_R_16F();
    public static final int R_16BF = CUDA_R_16BF();

    private final CublasLibrary library;
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment handle;
    private final MemorySegment alpha;
    private final MemorySegment beta;
    private boolean closed;

    CublasHandle(CublasLibrary library) {
        this.library = library;
        MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
        try {
            library.check(cublasCreate_v2(out), "cublasCreate");
            this.handle = out.get(ValueLayout.ADDRESS, 0);
            library.check(cublasSetMathMode(handle, CUBLAS_DEFAULT_MATH()), "cublasSetMathMode(CUBLAS_DEFAULT_MATH)");
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
        this.alpha = arena.allocate(ValueLayout.JAVA_FLOAT);
        this.beta = arena.allocate(ValueLayout.JAVA_FLOAT);
    }

    /** Runs every later call of this handle on {@code stream}. */
    public void setStream(MemorySegment stream) {
        library.check(cublasSetStream_v2(handle, stream), "cublasSetStream");
    }

    /**
     * Column-major {@code C = alpha·op(A)·op(B) + beta·C} with fp32 compute (cublasGemmEx), C being m×n,
     * op(A) m×k and op(B) k×n; device addresses; types are the {@code R_*} codes. With {@code tf32}, f32
     * operands are rounded to TF32 on tensor cores (CUBLAS_COMPUTE_32F_FAST_TF32); it changes nothing else.
     */
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alphaValue,
                     long a, int aType, int lda, long b, int bType, int ldb, float betaValue, long c, int cType, int ldc,
                     boolean tf32) {
        alpha.set(ValueLayout.JAVA_FLOAT, 0, alphaValue);
        beta.set(ValueLayout.JAVA_FLOAT, 0, betaValue);
        int rc = cublasGemmEx(handle, op(transA), op(transB), m, n, k, alpha, MemorySegment.ofAddress(a), aType, lda,
                MemorySegment.ofAddress(b), bType, ldb, beta, MemorySegment.ofAddress(c), cType, ldc,
                computeType(tf32, aType), CUBLAS_GEMM_DEFAULT());
        if (rc != 0) {
            library.check(rc, "cublasGemmEx(m=" + m + ", n=" + n + ", k=" + k + ", types " + aType + "/" + bType + "/" + cType + ")");
        }
    }

    /** As {@link #gemm} for {@code batch} products whose operands sit {@code stride*} elements apart (0 = shared). */
    public void gemmStridedBatched(boolean transA, boolean transB, int m, int n, int k, float alphaValue,
                                   long a, int aType, int lda, long strideA, long b, int bType, int ldb, long strideB,
                                   float betaValue, long c, int cType, int ldc, long strideC, int batch, boolean tf32) {
        alpha.set(ValueLayout.JAVA_FLOAT, 0, alphaValue);
        beta.set(ValueLayout.JAVA_FLOAT, 0, betaValue);
        int rc = cublasGemmStridedBatchedEx(handle, op(transA), op(transB), m, n, k, alpha,
                MemorySegment.ofAddress(a), aType, lda, strideA, MemorySegment.ofAddress(b), bType, ldb, strideB, beta,
                MemorySegment.ofAddress(c), cType, ldc, strideC, batch, computeType(tf32, aType), CUBLAS_GEMM_DEFAULT());
        if (rc != 0) {
            library.check(rc, "cublasGemmStridedBatchedEx(m=" + m + ", n=" + n + ", k=" + k + ", batch=" + batch + ")");
        }
    }

    private static int computeType(boolean tf32, int operandType) {
        return tf32 && operandType == R_32F ? CUBLAS_COMPUTE_32F_FAST_TF32() : CUBLAS_COMPUTE_32F();
    }

    private static int op(boolean trans) {
        return trans ? CUBLAS_OP_T() : CUBLAS_OP_N();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                library.check(cublasDestroy_v2(handle), "cublasDestroy");
            } finally {
                arena.close();
            }
        }
    }
}
