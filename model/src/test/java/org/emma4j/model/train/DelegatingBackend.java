package org.emma4j.model.train;

import java.lang.foreign.MemorySegment;
import java.util.List;
import org.emma4j.kernels.AdamWStep;
import org.emma4j.kernels.Backend;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorScope;

/**
 * A {@link Backend} that is not a {@code CpuBackend}: it forwards every op to another backend and counts the
 * calls. Code that runs on it cannot have relied on {@code instanceof CpuBackend}, a cast or {@code pool()},
 * as a CUDA backend would expose. The interface's default methods (toFloats, linear, ...) are left to the
 * interface, so they reach the delegate through this class's own upload, download and matmul.
 */
final class DelegatingBackend implements Backend {
    private final Backend delegate;
    private final String name;
    private long calls;
    private boolean closed;

    /** @param name what {@link #name} says: the delegate's name, or another device's to test the resume warnings */
    DelegatingBackend(Backend delegate, String name) {
        this.delegate = delegate;
        this.name = name;
    }

    /** Ops forwarded so far (proves the trainer ran through this backend). */
    long calls() {
        return calls;
    }

    /** Whether {@link #close} was called (the trainer must leave a caller's backend open). */
    boolean closed() {
        return closed;
    }

    private Backend to() {
        calls++;
        return delegate;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public TensorScope newScope() {
        return to().newScope();
    }

    @Override
    public void upload(Tensor dst, MemorySegment src) {
        to().upload(dst, src);
    }

    @Override
    public void download(Tensor src, MemorySegment dst) {
        to().download(src, dst);
    }

    @Override
    public void fill(Tensor t, float value) {
        to().fill(t, value);
    }

    @Override
    public void copy(Tensor dst, Tensor src) {
        to().copy(dst, src);
    }

    @Override
    public void matmul(Tensor c, Tensor a, boolean transA, Tensor b, boolean transB, float alpha, float beta) {
        to().matmul(c, a, transA, b, transB, alpha, beta);
    }

    @Override
    public void rmsNormForward(Tensor y, Tensor rstd, Tensor x, Tensor weight, float eps) {
        to().rmsNormForward(y, rstd, x, weight, eps);
    }

    @Override
    public void rmsNormBackward(Tensor dx, Tensor dweight, Tensor dy, Tensor x, Tensor weight, Tensor rstd) {
        to().rmsNormBackward(dx, dweight, dy, x, weight, rstd);
    }

    @Override
    public void ropeForward(Tensor x, Tensor cosSin, int pos0) {
        to().ropeForward(x, cosSin, pos0);
    }

    @Override
    public void ropeBackward(Tensor dx, Tensor cosSin, int pos0) {
        to().ropeBackward(dx, cosSin, pos0);
    }

    @Override
    public void attentionForward(Tensor out, Tensor lse, Tensor q, Tensor k, Tensor v, int qPos0, float scale) {
        to().attentionForward(out, lse, q, k, v, qPos0, scale);
    }

    @Override
    public void attentionBackward(Tensor dq, Tensor dk, Tensor dv, Tensor dout, Tensor out, Tensor lse,
                                  Tensor q, Tensor k, Tensor v, int qPos0, float scale) {
        to().attentionBackward(dq, dk, dv, dout, out, lse, q, k, v, qPos0, scale);
    }

    @Override
    public void swigluForward(Tensor h, Tensor gate, Tensor up) {
        to().swigluForward(h, gate, up);
    }

    @Override
    public void swigluBackward(Tensor dgate, Tensor dup, Tensor dh, Tensor gate, Tensor up) {
        to().swigluBackward(dgate, dup, dh, gate, up);
    }

    @Override
    public void embeddingForward(Tensor out, Tensor ids, Tensor table) {
        to().embeddingForward(out, ids, table);
    }

    @Override
    public void embeddingBackward(Tensor dtable, Tensor dout, Tensor ids) {
        to().embeddingBackward(dtable, dout, ids);
    }

    @Override
    public void crossEntropyForward(Tensor losses, Tensor logits, Tensor labels, int ignoreIndex) {
        to().crossEntropyForward(losses, logits, labels, ignoreIndex);
    }

    @Override
    public void crossEntropyForwardBackward(Tensor losses, Tensor dlogits, Tensor logits, Tensor labels, float lossScale, int ignoreIndex) {
        to().crossEntropyForwardBackward(losses, dlogits, logits, labels, lossScale, ignoreIndex);
    }

    @Override
    public void adamw(Tensor param, Tensor grad, Tensor m, Tensor v, AdamWStep step, Tensor paramCopy) {
        to().adamw(param, grad, m, v, step, paramCopy);
    }

    @Override
    public double globalL2Norm(List<Tensor> tensors) {
        return to().globalL2Norm(tensors);
    }

    @Override
    public void scale(Tensor x, float s) {
        to().scale(x, s);
    }

    @Override
    public void add(Tensor out, Tensor a, Tensor b) {
        to().add(out, a, b);
    }

    @Override
    public void close() {
        closed = true;
        delegate.close();
    }
}
