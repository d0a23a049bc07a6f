package org.emma4j.model.train;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import org.emma4j.model.io.ByteSizes;

/**
 * Memory of a run: the tensor bytes of the training state (weights, gradients, optimizer moments,
 * activations — allocated once, up front, so current equals peak) and the JVM heap (current, and the peak
 * the garbage collector's pools have seen), plus the process's peak resident set where Linux reports it.
 */
final class MemoryReport {
    private MemoryReport() {
    }

    /** One line, e.g. "tensors 1.2 GiB (weights 480 MiB, gradients ...) + JVM heap 40 MiB (peak 90 MiB)". */
    static String describe(long weights, long optimizer, long training, boolean peak) {
        long tensors = weights + optimizer + training;
        Runtime rt = Runtime.getRuntime();
        long heapNow = rt.totalMemory() - rt.freeMemory();
        long heapPeak = peakHeap();
        String rss = peakResident();
        return "tensors " + ByteSizes.format(tensors) + " (weights " + ByteSizes.format(weights) + ", optimizer " + ByteSizes.format(optimizer)
                + ", gradients+activations " + ByteSizes.format(training) + ") + JVM heap "
                + (peak ? "peak " + ByteSizes.format(heapPeak) : ByteSizes.format(heapNow)) + " = "
                + ByteSizes.format(tensors + (peak ? heapPeak : heapNow)) + (rss == null ? "" : "; process peak RSS " + rss);
    }

    /** Sum of the heap pools' peak usage since the JVM started. */
    static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    /** VmHWM from /proc/self/status, or null off Linux. */
    private static String peakResident() {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return null;
        }
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return ByteSizes.format(Long.parseLong(parts[0]) * 1024);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return null;
        }
        return null;
    }
}
