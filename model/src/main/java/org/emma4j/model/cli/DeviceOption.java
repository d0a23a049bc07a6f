package org.emma4j.model.cli;

import java.io.PrintWriter;
import org.emma4j.kernels.Backend;
import org.emma4j.kernels.Backends;
import picocli.CommandLine.Option;

/**
 * {@code --device cuda|cpu|auto} and {@code --threads N}, for every command that runs a model: add {@code @Mixin DeviceOption device;}
 * to the command and create its backend with {@link #create}. {@code auto} (the default) takes the GPU when
 * the CUDA probe says it is usable and the CPU otherwise; the choice, and why, is printed on stderr.
 */
public final class DeviceOption {

    @Option(names = "--device", defaultValue = "auto", paramLabel = "cuda|cpu|auto",
            description = "Where to run: cpu, cuda (cuda:N for device N), or auto = the GPU when one is usable, else the CPU "
                    + "(default: ${DEFAULT-VALUE}).")
    String device = "auto";

    @Option(names = "--threads", paramLabel = "N", description = "CPU threads (default: all cores).")
    Integer threads;

    /** The --device value as given. */
    public String device() {
        return device;
    }

    /**
     * The backend --device (and, on the CPU, --threads) asks for.
     *
     * @param err where to say which backend was chosen
     * @throws IllegalArgumentException for an unknown device; IllegalStateException for cuda without a usable GPU
     */
    public Backend create(PrintWriter err) {
        return create(err, threads);
    }

    /** --threads as given, or null (every core). */
    public Integer threads() {
        return threads;
    }

    /**
     * {@link #create(PrintWriter)} with {@code cpuThreads} (null: every core) in place of --threads, for commands
     * whose config file also sets the thread count and that resolve the two themselves.
     */
    public Backend create(PrintWriter err, Integer cpuThreads) {
        return Backends.create(device, cpuThreads, message -> {
            err.println("emma4j: " + message);
            err.flush();
        });
    }
}
