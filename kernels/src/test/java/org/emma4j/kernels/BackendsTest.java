package org.emma4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.emma4j.bindings.CudaProbe;
import org.emma4j.kernels.cpu.CpuBackend;
import org.emma4j.kernels.cuda.CudaBackend;
import org.junit.jupiter.api.Test;

/** The --device choice: parsing, cpu, and what auto and cuda do on this machine (with or without a GPU). */
class BackendsTest {

    @Test
    void devicesParse() {
        assertEquals(new Backends.Device(Backends.Device.Kind.CPU, 0), Backends.Device.parse("cpu"));
        assertEquals(new Backends.Device(Backends.Device.Kind.CUDA, 0), Backends.Device.parse(" CUDA "));
        assertEquals(new Backends.Device(Backends.Device.Kind.CUDA, 3), Backends.Device.parse("cuda:3"));
        assertEquals(new Backends.Device(Backends.Device.Kind.AUTO, 0), Backends.Device.parse("auto"));
        for (String bad : new String[] {"gpu", "cuda:", "cuda:-1", "cuda:x", "", null}) {
            var e = assertThrows(IllegalArgumentException.class, () -> Backends.Device.parse(bad));
            assertTrue(e.getMessage().contains("expected cpu, cuda, cuda:N") && e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void cpuIsAlwaysAvailable() {
        List<String> log = new ArrayList<>();
        try (Backend b = Backends.create("cpu", 1, log::add)) {
            assertTrue(b instanceof CpuBackend);
            assertEquals("cpu(1 threads)", b.name());
        }
        assertEquals(List.of("--device cpu -> cpu(1 threads)"), log);
    }

    @Test
    void autoAndCudaFollowTheProbe() {
        CudaProbe.Result probe = CudaProbe.probe();
        List<String> log = new ArrayList<>();
        try (Backend auto = Backends.create("auto", 2, log::add)) {
            if (probe.usable()) {
                assertTrue(auto instanceof CudaBackend, auto.name());
            } else {
                assertTrue(auto instanceof CpuBackend, auto.name());
                assertEquals(1, log.size());
                assertTrue(log.get(0).startsWith("--device auto chose the CPU because " + probe.reason()), log.get(0));
            }
        }
        if (!probe.usable()) {
            var e = assertThrows(IllegalStateException.class, () -> Backends.create("cuda", 2, log::add));
            assertEquals("--device cuda: no usable GPU: " + probe.reason(), e.getMessage());
        }
    }
}
