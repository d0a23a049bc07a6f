package org.emma4j.kernels.cuda;

import org.emma4j.kernels.DType;
import org.emma4j.kernels.Storage;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorChecks;

/** Argument checks and addresses of device tensors, shared by the CUDA backend's op classes. */
final class DeviceTensors {
    private DeviceTensors() {
    }

    /** The dtype codes the kernels understand (native/src/main/cuda/common.cuh). */
    static int code(DType dtype) {
        return switch (dtype) {
            case F32 -> 0;
            case BF16 -> 1;
            case F16 -> 2;
            case I32 -> throw new IllegalArgumentException("I32 tensors have no floating-point dtype code");
        };
    }

    /** Fails unless {@code t} lives on device {@code ordinal}. */
    static void requireDevice(String op, String role, Tensor t, int ordinal) {
        if (!(t.storage() instanceof Storage.Device d)) {
            throw new IllegalArgumentException(op + ": " + role + " (" + t.name() + ") is host memory; the CUDA backend needs device "
                    + "tensors (allocate them from its newScope() and fill them with upload or fromFloats)");
        }
        if (d.ordinal() != ordinal) {
            throw new IllegalArgumentException(op + ": " + role + " (" + t.name() + ") lives on CUDA device " + d.ordinal()
                    + " but this backend runs on device " + ordinal);
        }
    }

    /** Fails unless {@code t} is an F32 or BF16 device tensor (the operands most ops take). */
    static void requireFloat(String op, String role, Tensor t, int ordinal) {
        requireDevice(op, role, t, ordinal);
        TensorChecks.requireDType(op, role, t, DType.F32, DType.BF16);
    }

    /** Fails unless {@code t} is a device tensor of exactly this dtype. */
    static void requireExactly(String op, String role, Tensor t, DType dtype, int ordinal) {
        requireDevice(op, role, t, ordinal);
        TensorChecks.requireDType(op, role, t, dtype);
    }

    /** The device address of the tensor's first element. */
    static long address(Tensor t) {
        if (t.storage() instanceof Storage.Device d) {
            return d.address() + t.byteOffset();
        }
        throw new IllegalArgumentException("tensor " + t.name() + " is host memory, not a CUDA device tensor");
    }

    /** Address of an optional tensor, 0 (NULL) when absent. */
    static long addressOrNull(Tensor t) {
        return t == null ? 0L : address(t);
    }

    /** True when the two device tensors share any byte. */
    static boolean overlap(Tensor a, Tensor b) {
        long a0 = address(a);
        long b0 = address(b);
        return a0 < b0 + b.byteSize() && b0 < a0 + a.byteSize() && a.byteSize() > 0 && b.byteSize() > 0;
    }

    /** Fails when a count does not fit the kernels' 32-bit parameters. */
    static int toInt(String op, String what, long value) {
        if (value > Integer.MAX_VALUE || value < 0) {
            throw new IllegalArgumentException(op + ": " + what + " = " + value + " exceeds the CUDA kernels' limit of " + Integer.MAX_VALUE);
        }
        return (int) value;
    }
}
