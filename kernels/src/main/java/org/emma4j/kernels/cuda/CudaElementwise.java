package org.emma4j.kernels.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.emma4j.kernels.Bf16;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorChecks;

/** Whole-tensor ops on the device: fill, copy with dtype conversion, scale, add, the global L2 norm, and casts to and from scratch. */
final class CudaElementwise {
    private CudaElementwise() {
    }

    private static final int BLOCK = 256;
    /** Elements per partial sum of the L2 norm: fixed, so the order of additions never depends on the GPU. */
    private static final long NORM_CHUNK = 1 << 16;

    static void fill(CudaContext ctx, Tensor t, float value) {
        DeviceTensors.requireDevice("fill", "t", t, ctx.ordinal());
        if (t.dtype() == DType.I32 && (value != Math.rint(value) || Math.abs(value) > Integer.MAX_VALUE)) {
            throw new IllegalArgumentException("fill: tensor " + t.name() + " is I32 but the value " + value + " is not an int");
        }
        if (t.size() == 0) {
            return;
        }
        ctx.enter();
        long address = DeviceTensors.address(t);
        switch (t.dtype()) {
            case F32 -> ctx.driver().memset32(address, Float.floatToRawIntBits(value), t.size(), ctx.stream());
            case I32 -> ctx.driver().memset32(address, (int) value, t.size(), ctx.stream());
            case BF16 -> fill16(ctx, address, Bf16.fromFloat(value), t.size());
            case F16 -> fill16(ctx, address, Float.floatToFloat16(value), t.size());
        }
    }

    private static void fill16(CudaContext ctx, long address, short bits, long n) {
        if (n == 0) {
            return;
        }
        ctx.args().pointer(address).i32(bits & 0xFFFF).i64(n);
        ctx.launch(CudaKernel.FILL16, ctx.gridFor(n, BLOCK), 1, BLOCK, 0);
    }

    /** dst = src with dtype conversion; same rules as the CPU backend (I32 only to I32, no overlap but identity). */
    static void copy(CudaContext ctx, Tensor dst, Tensor src) {
        String op = "copy";
        DeviceTensors.requireDevice(op, "dst", dst, ctx.ordinal());
        DeviceTensors.requireDevice(op, "src", src, ctx.ordinal());
        TensorChecks.requireSameSize(op, "dst", dst, "src", src);
        DType dt = dst.dtype();
        DType st = src.dtype();
        if ((dt == DType.I32) != (st == DType.I32)) {
            throw new IllegalArgumentException(op + ": cannot convert src (" + src.name() + ", " + st + ") to dst (" + dst.name()
                    + ", " + dt + "); copy converts between floating-point dtypes only, and copies I32 to I32");
        }
        if (DeviceTensors.overlap(dst, src)) {
            if (dt == st && DeviceTensors.address(dst) == DeviceTensors.address(src)) {
                return;
            }
            throw new IllegalArgumentException(op + ": dst (" + dst.name() + ") and src (" + src.name() + ") overlap in memory");
        }
        long n = src.size();
        if (n == 0) {
            return;
        }
        ctx.enter();
        if (dt == st) {
            ctx.driver().copyOnDevice(DeviceTensors.address(dst), DeviceTensors.address(src), src.byteSize(), ctx.stream());
        } else {
            cast(ctx, DeviceTensors.address(dst), dt, DeviceTensors.address(src), st, n);
        }
    }

    static void cast(CudaContext ctx, long dst, DType dstType, long src, DType srcType, long n) {
        ctx.args().pointer(dst).i32(DeviceTensors.code(dstType)).pointer(src).i32(DeviceTensors.code(srcType)).i64(n);
        ctx.launch(CudaKernel.CAST, ctx.gridFor(n, BLOCK), 1, BLOCK, 0);
    }

    /** A copy of {@code t} in dtype {@code to}, in scratch {@code slot}; returns its address. */
    static long castToScratch(CudaContext ctx, DeviceScratch.Slot slot, Tensor t, DType to) {
        long address = ctx.scratch().get(slot, Math.max(1, t.size() * to.byteSize()));
        if (t.size() > 0) {
            cast(ctx, address, to, DeviceTensors.address(t), t.dtype(), t.size());
        }
        return address;
    }

    /** t = the f32 values at {@code scratch}, rounded to t's dtype. */
    static void castFromScratch(CudaContext ctx, Tensor t, long scratch) {
        if (t.size() > 0) {
            cast(ctx, DeviceTensors.address(t), t.dtype(), scratch, DType.F32, t.size());
        }
    }

    /** t += the f32 values at {@code src} (one rounding into t's dtype). */
    static void accumulate(CudaContext ctx, Tensor t, long src) {
        long n = t.size();
        if (n == 0) {
            return;
        }
        ctx.args().pointer(DeviceTensors.address(t)).i32(DeviceTensors.code(t.dtype())).pointer(src).i64(n);
        ctx.launch(CudaKernel.ACCUMULATE, ctx.gridFor(n, BLOCK), 1, BLOCK, 0);
    }

    static void scale(CudaContext ctx, Tensor x, float s) {
        DeviceTensors.requireFloat("scale", "x", x, ctx.ordinal());
        ctx.enter();
        scaleUnchecked(ctx, x, s);
    }

    /** c = beta · c, where beta = 0 writes zeros whatever c held (NaN included), as a product with beta = 0 must. */
    static void scaleOrZero(CudaContext ctx, Tensor c, float beta) {
        if (beta == 0f) {
            ctx.driver().memset8(DeviceTensors.address(c), (byte) 0, c.byteSize(), ctx.stream());
        } else if (beta != 1f) {
            scaleUnchecked(ctx, c, beta);
        }
    }

    private static void scaleUnchecked(CudaContext ctx, Tensor x, float s) {
        long n = x.size();
        if (n == 0) {
            return;
        }
        ctx.args().pointer(DeviceTensors.address(x)).i32(DeviceTensors.code(x.dtype())).f32(s).i64(n);
        ctx.launch(CudaKernel.SCALE, ctx.gridFor(n, BLOCK), 1, BLOCK, 0);
    }

    static void add(CudaContext ctx, Tensor out, Tensor a, Tensor b) {
        String op = "add";
        DeviceTensors.requireFloat(op, "out", out, ctx.ordinal());
        DeviceTensors.requireFloat(op, "a", a, ctx.ordinal());
        DeviceTensors.requireFloat(op, "b", b, ctx.ordinal());
        TensorChecks.requireSameSize(op, "a", a, "out", out);
        TensorChecks.requireSameSize(op, "b", b, "out", out);
        long n = out.size();
        if (n == 0) {
            return;
        }
        ctx.enter();
        ctx.args().pointer(DeviceTensors.address(out)).i32(DeviceTensors.code(out.dtype()))
                .pointer(DeviceTensors.address(a)).i32(DeviceTensors.code(a.dtype()))
                .pointer(DeviceTensors.address(b)).i32(DeviceTensors.code(b.dtype())).i64(n);
        ctx.launch(CudaKernel.ADD, ctx.gridFor(n, BLOCK), 1, BLOCK, 0);
    }

    /**
     * sqrt(Σ x²) over every tensor: each fixed chunk of {@link #NORM_CHUNK} elements is summed in double by one
     * block, the partial sums are added in order by one block, and the one double comes back to the host.
     */
    static double globalL2Norm(CudaContext ctx, List<Tensor> tensors) {
        String op = "globalL2Norm";
        long chunks = 0;
        for (int t = 0; t < tensors.size(); t++) {
            Tensor x = tensors.get(t);
            DeviceTensors.requireFloat(op, "tensors[" + t + "]", x, ctx.ordinal());
            chunks += (x.size() + NORM_CHUNK - 1) / NORM_CHUNK;
        }
        if (chunks == 0) {
            return 0;
        }
        int total = DeviceTensors.toInt(op, "chunks", chunks);
        ctx.enter();
        long partial = ctx.scratch().get(DeviceScratch.Slot.A, (total + 1) * 8L);
        long result = partial + total * 8L;
        long at = 0;
        for (Tensor x : tensors) {
            long n = x.size();
            if (n == 0) {
                continue;
            }
            int blocks = (int) ((n + NORM_CHUNK - 1) / NORM_CHUNK);
            ctx.args().pointer(DeviceTensors.address(x)).i32(DeviceTensors.code(x.dtype())).i64(n).i64(NORM_CHUNK).pointer(partial + at * 8);
            ctx.launch(CudaKernel.SUM_SQUARES_PARTIAL, blocks, 1, BLOCK, 0);
            at += blocks;
        }
        ctx.args().pointer(partial).i32(total).pointer(result);
        ctx.launch(CudaKernel.SUM_PARTIALS, 1, 1, 1024, 0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment host = arena.allocate(ValueLayout.JAVA_DOUBLE);
            ctx.driver().copyToHost(host, result, 8, ctx.stream());
            return Math.sqrt(host.get(ValueLayout.JAVA_DOUBLE, 0));
        }
    }
}
