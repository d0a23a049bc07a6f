package org.emma4j.model.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.emma4j.kernels.Backend;
import org.emma4j.kernels.cpu.CpuBackend;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The shared --device option: its default, its parsing through picocli, and the backend it creates. */
class DeviceOptionTest {

    @Command(name = "probe-device")
    static final class WithDevice implements Runnable {
        @Mixin
        DeviceOption device;

        @Override
        public void run() {
        }
    }

    private static WithDevice parse(String... args) {
        WithDevice cmd = new WithDevice();
        new CommandLine(cmd).parseArgs(args);
        return cmd;
    }

    @Test
    void defaultsToAutoAndCreatesTheCpuBackendWhenAsked() {
        assertEquals("auto", parse().device.device());
        StringWriter err = new StringWriter();
        try (Backend b = parse("--device", "cpu", "--threads", "1").device.create(new PrintWriter(err))) {
            assertTrue(b instanceof CpuBackend, b.name());
        }
        assertEquals("emma4j: --device cpu -> cpu(1 threads)", err.toString().strip());
    }

    @Test
    void autoAlwaysGivesABackendAndSaysWhich() {
        StringWriter err = new StringWriter();
        try (Backend b = parse("--device", "auto", "--threads", "1").device.create(new PrintWriter(err))) {
            assertTrue(err.toString().startsWith("emma4j: ") && err.toString().contains(b instanceof CpuBackend ? "chose the CPU because" : "running on cuda"),
                    err.toString());
        }
    }

    @Test
    void unknownDevicesAreRejectedWithTheChoices() {
        var e = assertThrows(IllegalArgumentException.class, () -> parse("--device", "tpu").device.create(new PrintWriter(new StringWriter())));
        assertTrue(e.getMessage().contains("'tpu'") && e.getMessage().contains("cpu, cuda, cuda:N"), e.getMessage());
        CommandLine help = new CommandLine(new WithDevice());
        assertTrue(help.getUsageMessage().contains("--device=cuda|cpu|auto"), help.getUsageMessage());
    }
}
