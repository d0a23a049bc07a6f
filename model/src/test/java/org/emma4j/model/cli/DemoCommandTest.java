package org.emma4j.model.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import org.emma4j.bindings.CudaProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code emma4j demo}'s --device and --threads (the demo itself runs in DemoTest): a missing GPU stops it before it writes. */
class DemoCommandTest {

    private static final Path CORPUS = Path.of("..", "data", "udhr", "corpus").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private final CliRunner cli = new CliRunner();


    @Test
    void cudaWithoutAGpuFailsWithTheProbesReasonBeforeTheRunDirectoryIsCreated() {
        CudaProbe.Result probe = CudaProbe.probe(0);
        assumeFalse(probe.usable(), "this machine has a usable GPU");
        Path out = dir.resolve("demo");
        assertEquals(1, cli.run("demo", "--quick", "--corpus", CORPUS.toString(), "--out", out.toString(), "--device", "cuda"));
        assertTrue(cli.err().contains("emma4j demo: --device cuda: no usable GPU: " + probe.reason()), cli.err());
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void helpListsDeviceAndThreads() {
        String usage = new CommandLine(new Main()).getSubcommands().get("demo").getUsageMessage();
        assertTrue(usage.contains("--device=cuda|cpu|auto") && usage.contains("--threads=N"), usage);
    }
}
