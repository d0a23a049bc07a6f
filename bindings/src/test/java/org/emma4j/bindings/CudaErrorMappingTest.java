package org.emma4j.bindings;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Status codes become exceptions that name the error and the call, with no driver needed. */
class CudaErrorMappingTest {

    @Test
    void successPassesAndErrorsNameTheStatusAndTheCall() {
        assertDoesNotThrow(() -> CudaStatus.check(0, "cuInit(0)"));
        CudaException noDevice = assertThrows(CudaException.class, () -> CudaStatus.check(100, "cuInit(0)"));
        assertEquals("CUDA_ERROR_NO_DEVICE", noDevice.errorName());
        assertEquals(100, noDevice.status());
        assertEquals("cuInit(0)", noDevice.call());
        assertEquals("cuInit(0) failed with CUDA_ERROR_NO_DEVICE (100)", noDevice.getMessage());

        CudaException oom = assertThrows(CudaException.class, () -> CudaStatus.check(2, "cuMemAlloc(1073741824 bytes)"));
        assertEquals("CUDA_ERROR_OUT_OF_MEMORY", oom.errorName());
        assertTrue(oom.getMessage().startsWith("cuMemAlloc(1073741824 bytes) failed with CUDA_ERROR_OUT_OF_MEMORY (2)"), oom.getMessage());
    }

    @Test
    void everyCommonStatusHasItsCudaHName() {
        assertAll(
                () -> assertEquals("CUDA_SUCCESS", CudaErrorNames.nameOf(0)),
                () -> assertEquals("CUDA_ERROR_INVALID_VALUE", CudaErrorNames.nameOf(1)),
                () -> assertEquals("CUDA_ERROR_NOT_INITIALIZED", CudaErrorNames.nameOf(3)),
                () -> assertEquals("CUDA_ERROR_STUB_LIBRARY", CudaErrorNames.nameOf(34)),
                () -> assertEquals("CUDA_ERROR_INVALID_IMAGE", CudaErrorNames.nameOf(200)),
                () -> assertEquals("CUDA_ERROR_NO_BINARY_FOR_GPU", CudaErrorNames.nameOf(209)),
                () -> assertEquals("CUDA_ERROR_UNSUPPORTED_PTX_VERSION", CudaErrorNames.nameOf(222)),
                () -> assertEquals("CUDA_ERROR_NOT_FOUND", CudaErrorNames.nameOf(500)),
                () -> assertEquals("CUDA_ERROR_ILLEGAL_ADDRESS", CudaErrorNames.nameOf(700)),
                () -> assertEquals("CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES", CudaErrorNames.nameOf(701)),
                () -> assertEquals("CUDA_ERROR_LAUNCH_FAILED", CudaErrorNames.nameOf(719)),
                () -> assertEquals("CUDA_ERROR_SYSTEM_DRIVER_MISMATCH", CudaErrorNames.nameOf(803)),
                () -> assertEquals("CUDA_ERROR_UNKNOWN", CudaErrorNames.nameOf(999)));
    }

    @Test
    void unknownCodesAreNamedByNumber() {
        assertEquals("CUDA_ERROR_12345", CudaErrorNames.nameOf(12345));
        CudaException e = assertThrows(CudaException.class, () -> CudaStatus.check(-7, "cuFoo"));
        assertEquals("cuFoo failed with CUDA_ERROR_-7 (-7)", e.getMessage());
    }

    @Test
    void cublasStatusesAreNamed() {
        CudaException e = assertThrows(CudaException.class, () -> CudaStatus.checkCublas(1, "cublasCreate"));
        assertEquals("cublasCreate failed with CUBLAS_STATUS_NOT_INITIALIZED (1)", e.getMessage());
        assertEquals("CUBLAS_STATUS_EXECUTION_FAILED", CudaErrorNames.cublasNameOf(13));
        assertEquals("CUBLAS_STATUS_99", CudaErrorNames.cublasNameOf(99));
        assertDoesNotThrow(() -> CudaStatus.checkCublas(0, "cublasSetStream"));
    }

    /** The built-in table must hold exactly cuda.h's CUresult enum, when the CUDA headers are installed here. */
    @Test
    void tableMatchesTheInstalledCudaHeader() throws IOException {
        Path header = Stream.of(System.getenv("CUDA_HOME"), "/usr/local/cuda", "/usr/local/cuda-13.0")
                .filter(h -> h != null)
                .map(h -> Path.of(h, "include", "cuda.h"))
                .filter(Files::isRegularFile)
                .findFirst().orElse(null);
        Assumptions.assumeTrue(header != null, "no cuda.h under CUDA_HOME, /usr/local/cuda or /usr/local/cuda-13.0 to compare with");
        String text = Files.readString(header);
        int start = text.indexOf("typedef enum cudaError_enum");
        int end = text.indexOf("} CUresult;", start);
        Assumptions.assumeTrue(start >= 0 && end > start, header + " has no cudaError_enum");
        Matcher m = Pattern.compile("(?m)^\\s+(CUDA_[A-Z0-9_]+)\\s*=\\s*(\\d+)").matcher(text.substring(start, end));
        Map<Integer, String> fromHeader = new LinkedHashMap<>();
        while (m.find()) {
            fromHeader.put(Integer.parseInt(m.group(2)), m.group(1));
        }
        assertTrue(fromHeader.size() > 90, "parsed only " + fromHeader.size() + " codes from " + header);
        for (var e : fromHeader.entrySet()) {
            assertEquals(e.getValue(), CudaErrorNames.nameOf(e.getKey()), "code " + e.getKey() + " in " + header);
            assertTrue(CudaErrorNames.isKnown(e.getKey()));
        }
        for (int code = 0; code < 1100; code++) {
            assertEquals(fromHeader.containsKey(code), CudaErrorNames.isKnown(code), "code " + code + " known by the table but not by " + header);
        }
    }
}
