package org.emma4j.bench.gpu;

import org.emma4j.kernels.Backend;

/** Wall-clock timing of queued GPU work: warm-up runs, then the mean of timed runs, each fenced by synchronize. */
final class Timer {
    private Timer() {
    }

    /** Mean seconds per run of {@code work} after {@code warmups} untimed runs. */
    static double seconds(Backend backend, int warmups, int runs, Runnable work) {
        for (int i = 0; i < warmups; i++) {
            work.run();
        }
        backend.synchronize();
        long t0 = System.nanoTime();
        for (int i = 0; i < runs; i++) {
            work.run();
        }
        backend.synchronize();
        return (System.nanoTime() - t0) / 1e9 / runs;
    }
}
