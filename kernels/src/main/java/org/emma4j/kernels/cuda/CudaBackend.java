package org.emma4j.kernels.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.emma4j.kernels.AdamWStep;
import org.emma4j.kernels.Backend;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorScope;

/**
 * The CUDA backend: every op on device memory ({@link org.emma4j.kernels.Storage.Device} tensors from
 * {@link #newScope()}), queued in order on one stream, with matmuls in cuBLAS (fp32 compute) and the rest
 * in emma4j's own kernels (the fatbin of emma4j-native). Nothing comes back to the host inside a step but
 * what the interface returns to it: {@link #globalL2Norm}'s double, {@link #download} and {@link #toFloats}
 * (and, with eager index checks, 8 bytes per embedding or cross-entropy call; see {@link Options}).
 *
 * <p>Create it after {@link org.emma4j.bindings.CudaProbe} said the GPU is usable (or through
 * {@link org.emma4j.kernels.Backends#create}); one thread at a time may use it.
 */
public final class CudaBackend implements Backend {

    /**
     * @param deviceOrdinal    the CUDA device to run on
     * @param eagerIndexChecks true: an out-of-range token id or label throws from the very call (reading back
     *                         8 bytes, one synchronisation); false: it is reported at the next synchronize,
     *                         download or globalL2Norm, so that steps run without host round trips. Either way a
     *                         bad batch writes nothing.
     * @param bf16Autocast     false: a matmul of an F32 operand with a BF16 one is exact in f32, as on the CPU (the
     *                         BF16 operand is widened, and the product runs on CUDA cores); true: the F32 operand is
     *                         rounded to BF16 first, as torch.autocast does, so that F32 activations against BF16
     *                         weights run on tensor cores (fp32 accumulation either way)
     * @param tf32             let cuBLAS round F32 operands to TF32 on tensor cores (as PyTorch's allow_tf32): much
     *                         faster f32 GEMMs (the weight gradients of F32 activations), 10-bit mantissa products
     */
    public record Options(int deviceOrdinal, boolean eagerIndexChecks, boolean bf16Autocast, boolean tf32) {
        /** Device 0, eager index checks, exact mixed-dtype f32 matmuls: the semantics of the CPU backend. */
        public static Options defaults() {
            return new Options(0, true, false, false);
        }

        public Options withDevice(int ordinal) {
            return new Options(ordinal, eagerIndexChecks, bf16Autocast, tf32);
        }

        public Options withEagerIndexChecks(boolean eager) {
            return new Options(deviceOrdinal, eager, bf16Autocast, tf32);
        }

        public Options withBf16Autocast(boolean autocast) {
            return new Options(deviceOrdinal, eagerIndexChecks, autocast, tf32);
        }

        public Options withTf32(boolean allow) {
            return new Options(deviceOrdinal, eagerIndexChecks, bf16Autocast, allow);
        }
    }

    private final CudaContext ctx;
    private final IndexChecks indexChecks;
    private final boolean bf16Autocast;
    private final boolean tf32;
    private boolean closed;

    /** Device 0, eager index checks. */
    public CudaBackend() {
        this(Options.defaults());
    }

    public CudaBackend(Options options) {
        this.ctx = CudaContext.open(options.deviceOrdinal());
        IndexChecks checks;
        try {
            checks = new IndexChecks(ctx, options.eagerIndexChecks());
        } catch (RuntimeException e) {
            ctx.close();
            throw e;
        }
        this.indexChecks = checks;
        this.bf16Autocast = options.bf16Autocast();
        this.tf32 = options.tf32();
    }

    @Override
    public String name() {
        return "cuda:" + ctx.ordinal() + " (" + ctx.deviceName() + ")";
    }

    @Override
    public TensorScope newScope() {
        return new CudaTensorScope(ctx);
    }

    // ---------------------------------------------------------------------------------------------- data

    @Override
    public void upload(Tensor dst, MemorySegment src) {
        DeviceTensors.requireDevice("upload", "dst", dst, ctx.ordinal());
        requireHostBytes("upload", "src", src, dst);
        if (dst.byteSize() == 0) {
            return;
        }
        ctx.enter();
        if (src.isNative()) {
            ctx.driver().copyToDevice(DeviceTensors.address(dst), src, dst.byteSize(), ctx.stream());
        } else {
            // Heap memory cannot be handed to the driver; stage it off-heap (the copy is done when the call returns).
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment staged = arena.allocate(dst.byteSize(), 64);
                MemorySegment.copy(src, 0, staged, 0, dst.byteSize());
                ctx.driver().copyToDevice(DeviceTensors.address(dst), staged, dst.byteSize(), ctx.stream());
                ctx.synchronizeStream();
            }
        }
    }

    @Override
    public void download(Tensor src, MemorySegment dst) {
        DeviceTensors.requireDevice("download", "src", src, ctx.ordinal());
        requireHostBytes("download", "dst", dst, src);
        ctx.enter();
        indexChecks.report();
        if (src.byteSize() == 0) {
            return;
        }
        if (dst.isNative()) {
            ctx.driver().copyToHost(dst, DeviceTensors.address(src), src.byteSize(), ctx.stream());
        } else {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment staged = arena.allocate(src.byteSize(), 64);
                ctx.driver().copyToHost(staged, DeviceTensors.address(src), src.byteSize(), ctx.stream());
                MemorySegment.copy(staged, 0, dst, 0, src.byteSize());
            }
        }
    }

    private static void requireHostBytes(String op, String role, MemorySegment host, Tensor t) {
        if (host.byteSize() < t.byteSize()) {
            throw new IllegalArgumentException(op + ": " + role + " holds " + host.byteSize() + " bytes but tensor " + t.name() + " needs "
                    + t.byteSize());
        }
    }

    @Override
    public void fill(Tensor t, float value) {
        CudaElementwise.fill(ctx, t, value);
    }

    @Override
    public void copy(Tensor dst, Tensor src) {
        CudaElementwise.copy(ctx, dst, src);
    }

    // ------------------------------------------------------------------------------------------------ ops

    @Override
    public void matmul(Tensor c, Tensor a, boolean transA, Tensor b, boolean transB, float alpha, float beta) {
        CudaMatmul.matmul(ctx, bf16Autocast, tf32, c, a, transA, b, transB, alpha, beta);
    }

    @Override
    public void rmsNormForward(Tensor y, Tensor rstd, Tensor x, Tensor weight, float eps) {
        CudaRmsNorm.forward(ctx, y, rstd, x, weight, eps);
    }

    @Override
    public void rmsNormBackward(Tensor dx, Tensor dweight, Tensor dy, Tensor x, Tensor weight, Tensor rstd) {
        CudaRmsNorm.backward(ctx, dx, dweight, dy, x, weight, rstd);
    }

    @Override
    public void ropeForward(Tensor x, Tensor cosSin, int pos0) {
        CudaRope.rotate(ctx, x, cosSin, pos0, false);
    }

    @Override
    public void ropeBackward(Tensor dx, Tensor cosSin, int pos0) {
        CudaRope.rotate(ctx, dx, cosSin, pos0, true);
    }

    @Override
    public void attentionForward(Tensor out, Tensor lse, Tensor q, Tensor k, Tensor v, int qPos0, float scale) {
        CudaAttention.forward(ctx, out, lse, q, k, v, qPos0, scale);
    }

    @Override
    public void attentionBackward(Tensor dq, Tensor dk, Tensor dv, Tensor dout, Tensor out, Tensor lse,
                                  Tensor q, Tensor k, Tensor v, int qPos0, float scale) {
        CudaAttention.backward(ctx, dq, dk, dv, dout, out, lse, q, k, v, qPos0, scale);
    }

    @Override
    public void swigluForward(Tensor h, Tensor gate, Tensor up) {
        CudaSwiglu.forward(ctx, h, gate, up);
    }

    @Override
    public void swigluBackward(Tensor dgate, Tensor dup, Tensor dh, Tensor gate, Tensor up) {
        CudaSwiglu.backward(ctx, dgate, dup, dh, gate, up);
    }

    @Override
    public void embeddingForward(Tensor out, Tensor ids, Tensor table) {
        CudaEmbedding.forward(ctx, indexChecks, out, ids, table);
    }

    @Override
    public void embeddingBackward(Tensor dtable, Tensor dout, Tensor ids) {
        CudaEmbedding.backward(ctx, indexChecks, dtable, dout, ids);
    }

    @Override
    public void crossEntropyForward(Tensor losses, Tensor logits, Tensor labels, int ignoreIndex) {
        CudaCrossEntropy.run(ctx, indexChecks, "crossEntropyForward", losses, null, logits, labels, 0f, ignoreIndex);
    }

    @Override
    public void crossEntropyForwardBackward(Tensor losses, Tensor dlogits, Tensor logits, Tensor labels, float lossScale, int ignoreIndex) {
        CudaCrossEntropy.run(ctx, indexChecks, "crossEntropyForwardBackward", losses, dlogits, logits, labels, lossScale, ignoreIndex);
    }

    @Override
    public void adamw(Tensor param, Tensor grad, Tensor m, Tensor v, AdamWStep step, Tensor paramCopy) {
        CudaAdamW.step(ctx, param, grad, m, v, step, paramCopy);
    }

    @Override
    public double globalL2Norm(List<Tensor> tensors) {
        double norm = CudaElementwise.globalL2Norm(ctx, tensors);
        indexChecks.report();
        return norm;
    }

    @Override
    public void scale(Tensor x, float s) {
        CudaElementwise.scale(ctx, x, s);
    }

    @Override
    public void add(Tensor out, Tensor a, Tensor b) {
        CudaElementwise.add(ctx, out, a, b);
    }

    @Override
    public void synchronize() {
        ctx.enter();
        ctx.synchronizeStream();
        indexChecks.report();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            ctx.enter();
            ctx.synchronizeStream();
            indexChecks.close();
        } finally {
            ctx.close();
        }
    }
}
