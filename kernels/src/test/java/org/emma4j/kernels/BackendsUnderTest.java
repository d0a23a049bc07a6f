package org.emma4j.kernels;

import java.util.ArrayList;
import java.util.List;
import org.emma4j.bindings.CudaProbe;
import org.emma4j.kernels.cpu.CpuBackend;
import org.emma4j.kernels.cuda.CudaBackend;

/**
 * The backends every op test runs against (the Jlama TestOperations pattern: one float64 reference, every
 * backend checked against it). CPU always; the CUDA backend joins when {@link CudaProbe} says a GPU is usable
 * (and -Demma4j.test.cuda=false or EMMA4J_TEST_CUDA=false does not leave it out). Test classes hold
 * one instance per backend and close them after all tests.
 */
public final class BackendsUnderTest {
    private BackendsUnderTest() {
    }

    /** Fresh instances of every usable backend; the caller closes them. */
    public static List<Backend> create() {
        List<Backend> list = new ArrayList<>();
        if (selected("cpu")) {
            list.add(new CpuBackend(2));
            list.add(new CpuBackend(1));
        }
        if (selected("cuda") && cudaEnabled() && cudaProbe().usable()) {
            list.add(new CudaBackend());
        }
        return list;
    }

    /** What the CUDA probe says about this machine, asked once per test JVM. */
    public static CudaProbe.Result cudaProbe() {
        return ProbeOnce.RESULT;
    }

    /** False when the GPU is left out on purpose (-Demma4j.test.cuda=false or EMMA4J_TEST_CUDA=false). */
    public static boolean cudaEnabled() {
        return !"false".equalsIgnoreCase(System.getProperty("emma4j.test.cuda", System.getenv("EMMA4J_TEST_CUDA")));
    }

    /**
     * Whether a kind of backend takes part: -Demma4j.test.backends (or EMMA4J_TEST_BACKENDS) lists them, comma
     * separated, e.g. "cuda" on a GPU machine to spend its time on the GPU only; unset means all.
     */
    private static boolean selected(String kind) {
        String list = System.getProperty("emma4j.test.backends", System.getenv("EMMA4J_TEST_BACKENDS"));
        return list == null || list.isBlank() || java.util.Arrays.asList(list.toLowerCase(java.util.Locale.ROOT).split("\\s*,\\s*")).contains(kind);
    }

    /** The probe never throws, so holding its answer in a class initialiser is safe. */
    private static final class ProbeOnce {
        static final CudaProbe.Result RESULT = CudaProbe.probe();
    }
}
