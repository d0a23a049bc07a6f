package org.emma4j.kernels;

/**
 * Owns the memory of the tensors it allocates; closing it frees them all. Scopes make lifetimes explicit:
 * a training run keeps one for parameters and optimizer state and one per step for activations, so that
 * nothing leaks across steps. A scope may be used from any thread.
 */
public interface TensorScope extends AutoCloseable {

    /** A new tensor whose contents are unspecified. */
    Tensor allocate(DType dtype, long... shape);

    /** A new tensor filled with zeros. */
    Tensor zeros(DType dtype, long... shape);

    /** Bytes currently allocated through this scope. */
    long allocatedBytes();

    @Override
    void close();
}
