package org.emma4j.kernels.cpu;

import java.lang.foreign.MemorySegment;
import java.util.List;
import org.emma4j.kernels.AdamWStep;
import org.emma4j.kernels.Backend;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorChecks;
import org.emma4j.kernels.TensorScope;

/**
 * The CPU backend: Vector API inner loops (the preferred species, masked tails) spread over one dedicated
 * {@link CpuPool}. Each op family lives in its own class beside its test; this class only routes.
 */
public final class CpuBackend implements Backend {
    private final CpuPool pool;

    /** A backend using every available core. */
    public CpuBackend() {
        this(Runtime.getRuntime().availableProcessors());
    }

    public CpuBackend(int threads) {
        this.pool = new CpuPool(threads);
    }

    public CpuPool pool() {
        return pool;
    }

    @Override
    public String name() {
        return "cpu(" + pool.threads() + " threads)";
    }

    @Override
    public TensorScope newScope() {
        return new HostTensorScope();
    }

    @Override
    public void upload(Tensor dst, MemorySegment src) {
        TensorChecks.requireHost("upload", "dst", dst);
        MemorySegment.copy(src, 0, dst.segment(), 0, dst.byteSize());
    }

    @Override
    public void download(Tensor src, MemorySegment dst) {
        TensorChecks.requireHost("download", "src", src);
        MemorySegment.copy(src.segment(), 0, dst, 0, src.byteSize());
    }

    @Override
    public void fill(Tensor t, float value) {
        CpuElementwise.fill(pool, t, value);
    }

    @Override
    public void copy(Tensor dst, Tensor src) {
        CpuElementwise.copy(pool, dst, src);
    }

    @Override
    public void matmul(Tensor c, Tensor a, boolean transA, Tensor b, boolean transB, float alpha, float beta) {
        CpuMatmul.matmul(pool, c, a, transA, b, transB, alpha, beta);
    }

    @Override
    public void rmsNormForward(Tensor y, Tensor rstd, Tensor x, Tensor weight, float eps) {
        CpuRmsNorm.forward(pool, y, rstd, x, weight, eps);
    }

    @Override
    public void rmsNormBackward(Tensor dx, Tensor dweight, Tensor dy, Tensor x, Tensor weight, Tensor rstd) {
        CpuRmsNorm.backward(pool, dx, dweight, dy, x, weight, rstd);
    }

    @Override
    public void ropeForward(Tensor x, Tensor cosSin, int pos0) {
        CpuRope.rotate(pool, x, cosSin, pos0, false);
    }

    @Override
    public void ropeBackward(Tensor dx, Tensor cosSin, int pos0) {
        CpuRope.rotate(pool, dx, cosSin, pos0, true);
    }

    @Override
    public void attentionForward(Tensor out, Tensor lse, Tensor q, Tensor k, Tensor v, int qPos0, float scale) {
        CpuAttention.forward(pool, out, lse, q, k, v, qPos0, scale);
    }

    @Override
    public void attentionBackward(Tensor dq, Tensor dk, Tensor dv, Tensor dout, Tensor out, Tensor lse,
                                  Tensor q, Tensor k, Tensor v, int qPos0, float scale) {
        CpuAttention.backward(pool, dq, dk, dv, dout, out, lse, q, k, v, qPos0, scale);
    }

    @Override
    public void swigluForward(Tensor h, Tensor gate, Tensor up) {
        CpuSwiglu.forward(pool, h, gate, up);
    }

    @Override
    public void swigluBackward(Tensor dgate, Tensor dup, Tensor dh, Tensor gate, Tensor up) {
        CpuSwiglu.backward(pool, dgate, dup, dh, gate, up);
    }

    @Override
    public void embeddingForward(Tensor out, Tensor ids, Tensor table) {
        CpuEmbedding.forward(pool, out, ids, table);
    }

    @Override
    public void embeddingBackward(Tensor dtable, Tensor dout, Tensor ids) {
        CpuEmbedding.backward(pool, dtable, dout, ids);
    }

    @Override
    public void crossEntropyForward(Tensor losses, Tensor logits, Tensor labels, int ignoreIndex) {
        CpuCrossEntropy.forward(pool, losses, logits, labels, ignoreIndex);
    }

    @Override
    public void crossEntropyForwardBackward(Tensor losses, Tensor dlogits, Tensor logits, Tensor labels,
                                            float lossScale, int ignoreIndex) {
        CpuCrossEntropy.forwardBackward(pool, losses, dlogits, logits, labels, lossScale, ignoreIndex);
    }

    @Override
    public void adamw(Tensor param, Tensor grad, Tensor m, Tensor v, AdamWStep step, Tensor paramCopy) {
        CpuAdamW.step(pool, param, grad, m, v, step, paramCopy);
    }

    @Override
    public double globalL2Norm(List<Tensor> tensors) {
        return CpuElementwise.globalL2Norm(pool, tensors);
    }

    @Override
    public void scale(Tensor x, float s) {
        CpuElementwise.scale(pool, x, s);
    }

    @Override
    public void add(Tensor out, Tensor a, Tensor b) {
        CpuElementwise.add(pool, out, a, b);
    }

    @Override
    public void close() {
        pool.close();
    }
}
