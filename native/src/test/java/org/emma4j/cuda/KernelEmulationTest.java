package org.emma4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The CUDA kernels' logic, checked without a GPU: g++ compiles native/src/main/cuda against a host
 * emulation of CUDA (src/test/emulation/include/cuda_fp16.h: one std::thread per CUDA thread, barriers for
 * __syncthreads and shuffles) together with check_kernels.cpp, which compares every kernel with a float64
 * reference on fresh random inputs (tolerances in its header comment). Skipped, with the reason, when there
 * is no g++; -Demma4j.test.emulation=full runs every attention shape of the Java op tests (minutes).
 */
class KernelEmulationTest {

    @Test
    void everyKernelMatchesItsFloat64Reference() throws IOException, InterruptedException {
        Path source = Path.of("src/test/emulation/check_kernels.cpp");
        assertTrue(Files.isRegularFile(source), "run from the emma4j-native module directory: " + source.toAbsolutePath() + " is missing");
        Path binary = Path.of("target/emulation/check_kernels");
        Files.createDirectories(binary.getParent());
        List<String> compile = List.of("g++", "-std=c++20", "-O1", "-Wall", "-Wno-unknown-pragmas",
                "-I", "src/test/emulation/include", "-o", binary.toString(), source.toString(), "-lpthread");
        Run built;
        try {
            built = run(compile, 300);
        } catch (IOException e) {
            Assumptions.abort("no g++ to build the kernel emulation: " + e.getMessage());
            return;
        }
        // The emulation needs C++20's std::barrier (g++ 11 or newer); an older compiler is a reason to skip, not a failure.
        Assumptions.assumeFalse(built.exit != 0 && (built.output.contains("barrier") && built.output.contains("std")
                || built.output.contains("c++20")), "this g++ lacks C++20 (std::barrier):\n" + built.output);
        assertEquals(0, built.exit, "g++ failed:\n" + built.output);

        long seed = Long.getLong("emma4j.test.seed", System.nanoTime() & Long.MAX_VALUE);
        String mode = System.getProperty("emma4j.test.emulation", "quick");
        Run checked = run(List.of(binary.toString(), Long.toUnsignedString(seed), mode), 900);
        System.out.println(checked.output);
        assertEquals(0, checked.exit, "kernel checks failed (seed " + seed + "):\n" + checked.output);
        assertTrue(checked.output.contains("all kernel checks passed"), checked.output);
    }

    private record Run(int exit, String output) {
    }

    private static Run run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        // Output goes to a file, so that a hung emulation (a barrier never reached) still times out.
        Path log = Files.createTempFile("emma4j-emulation", ".log");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " ran longer than " + timeoutSeconds + " s:\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
