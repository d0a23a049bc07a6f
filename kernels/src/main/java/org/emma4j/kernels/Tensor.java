package org.emma4j.kernels;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * A dense row-major tensor: a dtype, a shape and a window onto {@link Storage}. Views ({@link #view}) and
 * slices along the first dimension ({@link #slice}, {@link #select}) share storage and never copy. A tensor
 * does not own its memory: the {@link TensorScope} that allocated it (or the mapped file) does.
 */
public final class Tensor {
    private final DType dtype;
    private final long[] shape;
    private final Storage storage;
    private final long byteOffset;
    private final long size;
    private final String name;

    public Tensor(DType dtype, long[] shape, Storage storage, long byteOffset, String name) {
        this.dtype = dtype;
        this.shape = shape.clone();
        this.storage = storage;
        this.byteOffset = byteOffset;
        this.name = name;
        long n = 1;
        for (long d : this.shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor " + describeName(name) + ": negative dimension in shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        this.size = n;
        long need = byteOffset + n * dtype.byteSize();
        if (byteOffset < 0 || need > storage.byteSize()) {
            throw new IllegalArgumentException("tensor " + describeName(name) + " of shape " + Arrays.toString(shape) + " " + dtype
                    + " needs bytes [" + byteOffset + ", " + need + ") but its storage holds " + storage.byteSize());
        }
    }

    /** Wraps a host segment as a tensor of the given shape (the segment must be large enough). */
    public static Tensor ofHost(MemorySegment segment, DType dtype, long... shape) {
        return new Tensor(dtype, shape, new Storage.Host(segment), 0, null);
    }

    public DType dtype() {
        return dtype;
    }

    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** Size of dimension {@code i}; negative {@code i} counts from the end. */
    public long dim(int i) {
        return shape[i < 0 ? shape.length + i : i];
    }

    /** Number of elements. */
    public long size() {
        return size;
    }

    /** Number of rows when viewed as a matrix [size / lastDim, lastDim]. */
    public long rows() {
        return shape.length == 0 ? 1 : size / Math.max(1, shape[shape.length - 1]);
    }

    /** The last dimension (1 for a scalar). */
    public long cols() {
        return shape.length == 0 ? 1 : shape[shape.length - 1];
    }

    public long byteSize() {
        return size * dtype.byteSize();
    }

    public long byteOffset() {
        return byteOffset;
    }

    public Storage storage() {
        return storage;
    }

    public boolean isHost() {
        return storage instanceof Storage.Host;
    }

    /** A name for error messages (the checkpoint tensor name when there is one). */
    public String name() {
        return name == null ? "<unnamed>" : name;
    }

    public Tensor named(String newName) {
        return new Tensor(dtype, shape, storage, byteOffset, newName);
    }

    /** The host bytes of this tensor, exactly {@link #byteSize()} long. Fails for device tensors. */
    public MemorySegment segment() {
        if (storage instanceof Storage.Host(MemorySegment seg)) {
            return seg.asSlice(byteOffset, byteSize());
        }
        throw new IllegalStateException("tensor " + name() + " lives on a device; its bytes cannot be read on the host directly "
                + "(use Backend.download)");
    }

    /** The same bytes under another shape with the same number of elements. */
    public Tensor view(long... newShape) {
        long n = 1;
        for (long d : newShape) {
            n = Math.multiplyExact(n, d);
        }
        if (n != size) {
            throw new IllegalArgumentException("cannot view tensor " + name() + " of shape " + Arrays.toString(shape)
                    + " (" + size + " elements) as " + Arrays.toString(newShape) + " (" + n + " elements)");
        }
        return new Tensor(dtype, newShape, storage, byteOffset, name);
    }

    /** Rows {@code [start, end)} along the first dimension, sharing storage. */
    public Tensor slice(long start, long end) {
        if (shape.length == 0) {
            throw new IllegalArgumentException("cannot slice scalar tensor " + name());
        }
        if (start < 0 || end > shape[0] || start > end) {
            throw new IndexOutOfBoundsException("slice [" + start + ", " + end + ") of tensor " + name()
                    + " whose first dimension is " + shape[0]);
        }
        long[] s = shape.clone();
        s[0] = end - start;
        long rowBytes = (shape[0] == 0 ? 0 : byteSize() / shape[0]);
        return new Tensor(dtype, s, storage, byteOffset + start * rowBytes, name);
    }

    /** Index {@code i} of the first dimension, dropping that dimension. */
    public Tensor select(long i) {
        Tensor row = slice(i, i + 1);
        return row.view(Arrays.copyOfRange(shape, 1, shape.length));
    }

    /** True when both tensors have the same shape. */
    public boolean sameShape(Tensor other) {
        return Arrays.equals(shape, other.shape);
    }

    @Override
    public String toString() {
        return "Tensor[" + name() + " " + dtype + " " + Arrays.toString(shape) + (isHost() ? "" : " on device") + "]";
    }

    private static String describeName(String n) {
        return n == null ? "<unnamed>" : n;
    }
}
