package org.emma4j.kernels.cpu;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * The CPU backend's one dedicated pool of worker threads. {@link #parallelFor} hands out task indices
 * dynamically (an atomic counter), so uneven tasks such as causal attention rows balance themselves;
 * the calling thread works too.
 */
public final class CpuPool implements AutoCloseable {
    private final int threads;
    private final ForkJoinPool pool;
    private final ConcurrentHashMap<Class<?>, Object> opState = new ConcurrentHashMap<>();

    public CpuPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("thread count must be at least 1, found " + threads);
        }
        this.threads = threads;
        this.pool = threads > 1 ? new ForkJoinPool(threads - 1, p -> {
            var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
            t.setName("emma4j-cpu-" + t.getPoolIndex());
            t.setDaemon(true);
            return t;
        }, null, false) : null;
    }

    public int threads() {
        return threads;
    }

    /** Runs {@code body.accept(i)} for every i in [0, tasks), spread over the pool's threads. */
    public void parallelFor(int tasks, IntConsumer body) {
        if (tasks <= 0) {
            return;
        }
        if (pool == null || tasks == 1 || ForkJoinTask.getPool() == pool) {
            for (int i = 0; i < tasks; i++) {
                body.accept(i);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            for (int i; (i = next.getAndIncrement()) < tasks; ) {
                body.accept(i);
            }
        };
        int helpers = Math.min(threads, tasks) - 1;
        @SuppressWarnings("unchecked")
        ForkJoinTask<?>[] submitted = new ForkJoinTask[helpers];
        for (int h = 0; h < helpers; h++) {
            submitted[h] = pool.submit(worker);
        }
        Throwable failure = null;
        try {
            worker.run();
        } catch (Throwable t) {
            failure = t;
        }
        for (ForkJoinTask<?> task : submitted) {
            try {
                task.join();
            } catch (Throwable t) {
                if (failure == null) {
                    failure = t;
                }
            }
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    /**
     * State an op keeps on this pool between calls, such as scratch buffers worth reusing, created on first use:
     * one instance per type, living as long as the pool. It must be safe for concurrent use.
     */
    public <T> T opState(Class<T> type, Supplier<? extends T> create) {
        return type.cast(opState.computeIfAbsent(type, t -> create.get()));
    }

    /** Splits [0, n) into about {@code chunksPerThread · threads} contiguous ranges of at least {@code minChunk}. */
    public void parallelRanges(long n, long minChunk, RangeBody body) {
        if (n <= 0) {
            return;
        }
        long chunks = Math.max(1, Math.min((long) threads * 4, n / Math.max(1, minChunk)));
        long step = (n + chunks - 1) / chunks;
        int tasks = (int) ((n + step - 1) / step);
        parallelFor(tasks, t -> body.run(t * step, Math.min(n, (t + 1) * step)));
    }

    @FunctionalInterface
    public interface RangeBody {
        void run(long start, long end);
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
