package org.emma4j.kernels;

import java.util.Locale;
import java.util.function.Consumer;
import org.emma4j.bindings.CudaProbe;
import org.emma4j.kernels.cpu.CpuBackend;
import org.emma4j.kernels.cuda.CudaBackend;

/**
 * Chooses and creates the backend a command runs on: {@code cpu}, {@code cuda} (device 0, or
 * {@code cuda:N}) or {@code auto}, which takes the GPU when {@link CudaProbe} says it is usable and the
 * CPU otherwise, saying why. Commands run the CUDA backend with bf16 autocast (F32 activations meet BF16
 * weights on tensor cores; see {@link CudaBackend.Options}).
 */
public final class Backends {
    private Backends() {
    }

    /** A parsed device choice. */
    public record Device(Kind kind, int ordinal) {
        public enum Kind { CPU, CUDA, AUTO }

        /** Parses cpu, cuda, cuda:N or auto (case-insensitive); the message lists what is accepted. */
        public static Device parse(String text) {
            String s = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
            if (s.equals("cpu")) {
                return new Device(Kind.CPU, 0);
            }
            if (s.equals("auto")) {
                return new Device(Kind.AUTO, 0);
            }
            if (s.equals("cuda")) {
                return new Device(Kind.CUDA, 0);
            }
            if (s.startsWith("cuda:")) {
                try {
                    int ordinal = Integer.parseInt(s.substring(5));
                    if (ordinal >= 0) {
                        return new Device(Kind.CUDA, ordinal);
                    }
                } catch (NumberFormatException e) {
                    // reported below
                }
            }
            throw new IllegalArgumentException("unknown device '" + text + "': expected cpu, cuda, cuda:N (a device number) or auto");
        }
    }

    /** {@link #create(String, Integer, Consumer)} with every CPU core and messages on standard error. */
    public static Backend create(String device) {
        return create(device, null, message -> System.err.println("emma4j: " + message));
    }

    /**
     * @param device     cpu, cuda, cuda:N or auto
     * @param cpuThreads threads for the CPU backend, or null for every core
     * @param log        receives one line saying which backend was chosen, and why when auto fell back to the CPU
     * @throws IllegalStateException when cuda was asked for and no GPU is usable (the message gives the probe's reason)
     */
    public static Backend create(String device, Integer cpuThreads, Consumer<String> log) {
        Device d = Device.parse(device);
        return switch (d.kind()) {
            case CPU -> cpu(cpuThreads, log, "--device cpu");
            case CUDA -> {
                CudaProbe.Result probe = CudaProbe.probe(d.ordinal());
                if (!probe.usable()) {
                    throw new IllegalStateException("--device " + device + ": no usable GPU: " + probe.reason());
                }
                yield cuda(d.ordinal(), probe, log);
            }
            case AUTO -> {
                CudaProbe.Result probe = CudaProbe.probe(0);
                if (!probe.usable()) {
                    yield cpu(cpuThreads, log, "--device auto chose the CPU because " + probe.reason());
                }
                try {
                    yield cuda(0, probe, log);
                } catch (RuntimeException e) {
                    yield cpu(cpuThreads, log, "--device auto chose the CPU because the CUDA backend failed to start: " + e.getMessage());
                }
            }
        };
    }

    private static Backend cpu(Integer threads, Consumer<String> log, String why) {
        Backend b = threads == null ? new CpuBackend() : new CpuBackend(threads);
        log.accept(why + " -> " + b.name());
        return b;
    }

    private static Backend cuda(int ordinal, CudaProbe.Result probe, Consumer<String> log) {
        Backend b = new CudaBackend(CudaBackend.Options.defaults().withDevice(ordinal).withBf16Autocast(true));
        log.accept("running on " + b.name() + " with bf16 autocast: " + probe.reason());
        return b;
    }
}
