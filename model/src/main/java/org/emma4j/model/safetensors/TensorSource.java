package org.emma4j.model.safetensors;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.Tensor;

/**
 * A tensor to be written: its name, the dtype and shape it will have in the file, and where its bytes come
 * from. The bytes are produced only when the writer reaches this tensor.
 */
public record TensorSource(String name, DType dtype, long[] shape, TensorContent content) {

    public TensorSource {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a tensor to write needs a name");
        }
        if (name.equals(SafetensorsHeader.METADATA_KEY)) {
            throw new IllegalArgumentException("'" + name + "' is reserved for safetensors metadata and cannot name a tensor");
        }
        shape = shape.clone();
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor '" + name + "' has a negative dimension in shape " + Arrays.toString(shape));
            }
        }
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Bytes in the file: elements × dtype size. */
    public long byteSize() {
        return Math.multiplyExact(SafetensorsEntry.elementCount(shape), (long) dtype.byteSize());
    }

    /** Writes a host tensor as it is (same dtype and shape) under its own name. */
    public static TensorSource of(Tensor hostTensor) {
        return of(hostTensor.name(), hostTensor);
    }

    /** Writes a host tensor as it is (same dtype and shape) under {@code name}. */
    public static TensorSource of(String name, Tensor hostTensor) {
        return new TensorSource(name, hostTensor.dtype(), hostTensor.shape(),
                dst -> MemorySegment.copy(hostTensor.segment(), 0, dst, 0, hostTensor.byteSize()));
    }

    @Override
    public String toString() {
        return "TensorSource[" + name + " " + dtype + " " + Arrays.toString(shape) + "]";
    }
}
