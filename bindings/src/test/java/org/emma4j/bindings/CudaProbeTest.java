package org.emma4j.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The probe never throws and says why a GPU is not usable: a bogus library path, a library that is not a
 * driver, and (through a fake libcuda.so.1 built from C) a driver without devices, a too-old GPU and a
 * missing cuBLAS. The fake driver also drives the jextract-generated bindings through {@link CudaDriver}.
 */
class CudaProbeTest {
    private static final List<LibrarySearch.Candidate> NO_CUBLAS =
            List.of(new LibrarySearch.Candidate("/nonexistent/emma4j-test/libcublas.so.13", "test"));

    @Test
    void bogusDriverPathIsNamedInTheReason() {
        String bogus = "/nonexistent/emma4j-test/libcuda.so.1";
        CudaProbe.Result r = CudaProbe.probe(List.of(new LibrarySearch.Candidate(bogus, "test")), NO_CUBLAS, 0);
        assertFalse(r.usable());
        assertTrue(r.reason().contains(bogus), r.reason());
        assertTrue(r.reason().startsWith("no usable NVIDIA driver"), r.reason());
        assertEquals(0, r.deviceCount());
        assertNull(r.deviceName());
        assertEquals("unknown", r.computeCapability());
    }

    @Test
    void systemPropertyOverridesTheDriverPath() {
        String bogus = "/nonexistent/emma4j-test/property/libcuda.so.1";
        String before = System.getProperty("emma4j.cuda.library");
        System.setProperty("emma4j.cuda.library", bogus);
        try {
            CudaProbe.Result r = CudaProbe.probe();
            assertFalse(r.usable());
            assertTrue(r.reason().contains(bogus) && r.reason().contains("system property emma4j.cuda.library"), r.reason());
        } finally {
            if (before == null) {
                System.clearProperty("emma4j.cuda.library");
            } else {
                System.setProperty("emma4j.cuda.library", before);
            }
        }
    }

    @Test
    void aLibraryThatIsNotTheDriverIsRejected() {
        CudaProbe.Result r = CudaProbe.probe(List.of(new LibrarySearch.Candidate("libm.so.6", "test")), NO_CUBLAS, 0);
        assertFalse(r.usable());
        assertTrue(r.reason().contains("does not export cuInit"), r.reason());
    }

    @Test
    void theDefaultProbeAnswersWhateverTheMachine() {
        CudaProbe.Result r = CudaProbe.probe();
        assertNotNull(r.reason());
        assertFalse(r.reason().isBlank());
        if (r.usable()) {
            assertNotNull(r.deviceName());
            assertTrue(r.computeMajor() >= CudaProbe.MIN_COMPUTE_MAJOR, r.toString());
            assertTrue(r.totalMemory() > 0, r.toString());
        }
        System.out.println("CUDA probe on this machine: usable=" + r.usable() + ", " + r.reason());
    }

    @Test
    void fakeDriverWithoutDevicesReportsTheDriversErrorName() {
        var fake = List.of(new LibrarySearch.Candidate(FakeCudaDriver.path().toString(), "test"));
        FakeCudaDriver.setMode(0);
        CudaProbe.Result r = CudaProbe.probe(fake, NO_CUBLAS, 0);
        assertFalse(r.usable());
        assertTrue(r.reason().startsWith("cuInit failed with CUDA_ERROR_NO_DEVICE (100)"), r.reason());
        // The generated bindings, through the safe layer: the same failure as an exception with the driver's words.
        CudaException e = assertThrows(CudaException.class, () -> CudaDriver.open(fake));
        assertEquals("cuInit(0) failed with CUDA_ERROR_NO_DEVICE (100): no CUDA-capable device is detected", e.getMessage());
    }

    @Test
    void fakeOldGpuIsRejectedForItsComputeCapability() {
        var fake = List.of(new LibrarySearch.Candidate(FakeCudaDriver.path().toString(), "test"));
        FakeCudaDriver.setMode(1);
        CudaProbe.Result r = CudaProbe.probe(fake, NO_CUBLAS, 0);
        assertFalse(r.usable());
        assertEquals("Fake T4", r.deviceName());
        assertEquals("7.5", r.computeCapability());
        assertEquals(16L << 30, r.totalMemory());
        assertTrue(r.reason().contains("compute capability 7.5") && r.reason().contains("8.0"), r.reason());
        CudaProbe.Result wrongOrdinal = CudaProbe.probe(fake, NO_CUBLAS, 3);
        assertFalse(wrongOrdinal.usable());
        assertTrue(wrongOrdinal.reason().contains("device 3") && wrongOrdinal.reason().contains("1 device"), wrongOrdinal.reason());
    }

    @Test
    void fakeModernGpuWithoutCublasIsNotUsableAndTheBindingsReadTheDevice() {
        var fake = List.of(new LibrarySearch.Candidate(FakeCudaDriver.path().toString(), "test"));
        FakeCudaDriver.setMode(2);
        CudaProbe.Result r = CudaProbe.probe(fake, NO_CUBLAS, 0);
        assertFalse(r.usable());
        assertEquals("9.0", r.computeCapability());
        assertEquals(132, r.multiprocessors());
        assertEquals(13000, r.driverVersion());
        assertTrue(r.reason().contains("Fake H200") && r.reason().contains("no cuBLAS")
                && r.reason().contains("/nonexistent/emma4j-test/libcublas.so.13"), r.reason());

        CudaDriver driver = CudaDriver.open(fake);
        assertEquals(1, driver.deviceCount());
        int dev = driver.device(0);
        assertEquals("Fake H200", driver.deviceName(dev));
        assertEquals(9, driver.attribute(org.emma4j.bindings.cuda.cuda_h.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR(), dev));
        assertEquals(141L << 30, driver.totalMemory(dev));
        assertEquals(13000, driver.driverVersion());
        CudaException bad = assertThrows(CudaException.class, () -> driver.device(5));
        assertEquals("cuDeviceGet(5) failed with CUDA_ERROR_INVALID_DEVICE (101)", bad.getMessage());
        assertEquals("CUDA_ERROR_LAUNCH_FAILED", driver.errorName(719), "codes the driver does not name come from the table");
    }
}
