package org.emma4j.kernels.cuda;

import org.emma4j.bindings.CublasHandle;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.MatmulShape;
import org.emma4j.kernels.Tensor;

/**
 * {@code c = alpha · op(a) · op(b) + beta · c} through cuBLAS with fp32 compute (see
 * {@link org.emma4j.kernels.Backend#matmul}). cuBLAS is column-major; a row-major [r, c] matrix is the
 * column-major [c, r] matrix in the same bytes, so the row-major C = op(A)·op(B) is computed as the
 * column-major Cᵀ = op(B)ᵀ·op(A)ᵀ: B goes first, and each operand keeps its own transpose flag.
 * Operand dtypes cuBLAS cannot combine (mixed, or f32 operands into a bf16 c) go through f32 copies, or, with
 * autocast, an F32 operand facing a BF16 one goes through a BF16 copy (tensor cores).
 */
final class CudaMatmul {
    private CudaMatmul() {
    }

    private static final String OP = "matmul";

    static void matmul(CudaContext ctx, boolean bf16Autocast, boolean tf32, Tensor c, Tensor a, boolean transA, Tensor b, boolean transB, float alpha, float beta) {
        int dev = ctx.ordinal();
        DeviceTensors.requireDevice(OP, "c", c, dev);
        DeviceTensors.requireDevice(OP, "a", a, dev);
        DeviceTensors.requireDevice(OP, "b", b, dev);
        MatmulShape shape = MatmulShape.of(c, a, transA, b, transB);
        long m = shape.m();
        long n = shape.n();
        long k = shape.k();
        if (DeviceTensors.overlap(c, a) || DeviceTensors.overlap(c, b)) {
            throw new IllegalArgumentException(OP + ": c (" + c.name() + ") overlaps an operand (" + a.name() + " or " + b.name() + ") in memory");
        }
        long batch = shape.batch();
        if (shape.empty()) {
            return;
        }
        ctx.enter();
        if (k == 0) {
            // An empty sum: c = beta · c.
            CudaElementwise.scaleOrZero(ctx, c, beta);
            return;
        }
        boolean sharedA = a.rank() == 2;
        boolean sharedB = b.rank() == 2;
        boolean collapse = batch > 1 && sharedB && !sharedA && !transA;
        long rows = collapse ? batch * m : m;
        long entries = collapse ? 1 : batch;
        int im = DeviceTensors.toInt(OP, "M", rows);
        int in = DeviceTensors.toInt(OP, "N", n);
        int ik = DeviceTensors.toInt(OP, "K", k);
        int ib = DeviceTensors.toInt(OP, "batch", entries);

        // Operands in a dtype combination cuBLAS supports with fp32 compute.
        DType common = commonType(a.dtype(), b.dtype(), bf16Autocast);
        long aPtr = common == a.dtype() ? DeviceTensors.address(a) : CudaElementwise.castToScratch(ctx, DeviceScratch.Slot.A, a, common);
        long bPtr = common == b.dtype() ? DeviceTensors.address(b) : CudaElementwise.castToScratch(ctx, DeviceScratch.Slot.B, b, common);
        boolean cDirect = c.dtype() == DType.F32 || c.dtype() == common;
        long cPtr;
        if (cDirect) {
            cPtr = DeviceTensors.address(c);
        } else {
            cPtr = beta == 0f ? ctx.scratch().get(DeviceScratch.Slot.C, c.size() * 4L)
                    : CudaElementwise.castToScratch(ctx, DeviceScratch.Slot.C, c, DType.F32);
        }
        int aType = cublasType(common);
        int cType = cDirect ? cublasType(c.dtype()) : CublasHandle.R_32F;
        int lda = DeviceTensors.toInt(OP, "lda", a.dim(-1));
        int ldb = DeviceTensors.toInt(OP, "ldb", b.dim(-1));
        CublasHandle h = ctx.cublas();
        if (ib == 1) {
            h.gemm(transB, transA, in, im, ik, alpha, bPtr, aType, ldb, aPtr, aType, lda, beta, cPtr, cType, in, tf32);
        } else {
            long strideA = sharedA ? 0 : m * k;
            long strideB = sharedB ? 0 : k * n;
            h.gemmStridedBatched(transB, transA, in, im, ik, alpha, bPtr, aType, ldb, strideB, aPtr, aType, lda, strideA,
                    beta, cPtr, cType, in, m * n, ib, tf32);
        }
        if (!cDirect) {
            CudaElementwise.castFromScratch(ctx, c, cPtr);
        }
    }

    /** The one operand type cuBLAS gets: the shared one, BF16 for F32 against BF16 under autocast, else F32. */
    static DType commonType(DType a, DType b, boolean bf16Autocast) {
        if (a == b) {
            return a;
        }
        boolean f32AndBf16 = (a == DType.F32 && b == DType.BF16) || (a == DType.BF16 && b == DType.F32);
        return bf16Autocast && f32AndBf16 ? DType.BF16 : DType.F32;
    }

    private static int cublasType(DType t) {
        return switch (t) {
            case F32 -> CublasHandle.R_32F;
            case BF16 -> CublasHandle.R_16BF;
            case F16 -> CublasHandle.R_16F;
            case I32 -> throw new IllegalArgumentException(OP + ": I32 has no cuBLAS floating-point type");
        };
    }
}
