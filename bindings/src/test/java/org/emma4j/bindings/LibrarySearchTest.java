package org.emma4j.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Library locations: a system property beats the environment, which beats the default sonames. */
class LibrarySearchTest {

    @Test
    void explicitChoicesWinAndAreTheOnlyCandidate() {
        LibrarySearch cuda = LibrarySearch.cudaDriver();
        Map<String, String> props = Map.of("emma4j.cuda.library", "/opt/driver/libcuda.so.1");
        Map<String, String> env = Map.of("EMMA4J_CUDA_LIBRARY", "/env/libcuda.so.1");
        var fromProperty = cuda.candidates(props::get, env::get);
        assertEquals(List.of(new LibrarySearch.Candidate("/opt/driver/libcuda.so.1", "system property emma4j.cuda.library")), fromProperty);
        var fromEnv = cuda.candidates(k -> null, env::get);
        assertEquals(List.of(new LibrarySearch.Candidate("/env/libcuda.so.1", "environment variable EMMA4J_CUDA_LIBRARY")), fromEnv);
    }

    @Test
    void defaultsAreTheSonamesInOrder() {
        var cuda = LibrarySearch.cudaDriver().candidates(k -> null, k -> null);
        assertEquals(List.of("libcuda.so.1"), cuda.stream().map(LibrarySearch.Candidate::name).toList());
        var cublas = LibrarySearch.cublas().candidates(k -> null, k -> " ");
        assertEquals(List.of("libcublas.so.13", "libcublas.so.12"), cublas.stream().map(LibrarySearch.Candidate::name).toList());
        assertTrue(cublas.get(0).origin().contains("EMMA4J_CUBLAS_LIBRARY"), cublas.get(0).origin());
    }
}
