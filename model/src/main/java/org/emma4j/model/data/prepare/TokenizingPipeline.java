package org.emma4j.model.data.prepare;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * The bounded, ordered pipeline: one reader thread batches raw records, a pool of worker threads parses
 * and tokenizes the batches, and the calling thread receives the outcomes strictly in input order. The
 * queue between them holds at most {@code 4 x threads} batches, so memory stays bounded however large the
 * input, and the output order (hence every byte written later) never depends on thread timing.
 */
final class TokenizingPipeline {
    /** Receives outcomes in input order; returning normally continues, throwing stops the pipeline. */
    @FunctionalInterface
    interface Consumer {
        void accept(Outcome outcome) throws IOException;
    }

    private static final int BATCH_RECORDS = 256;
    private static final int BATCH_BYTES = 1 << 20;
    private static final Future<List<Outcome>> END = CompletableFuture.completedFuture(List.of());

    private final int threads;

    TokenizingPipeline(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be positive, found " + threads);
        }
        this.threads = threads;
    }

    /**
     * Runs {@code reader} to the end (or until {@code consumer} throws); {@code parsers} makes one parser per
     * batch (a parser is not thread-safe).
     */
    void run(RecordReader reader, Supplier<RecordParser> parsers, Consumer consumer) throws IOException, InterruptedException {
        BlockingQueue<Future<List<Outcome>>> queue = new ArrayBlockingQueue<>(4 * threads);
        ExecutorService workers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "emma4j-tokenize");
            t.setDaemon(true);
            return t;
        });
        Thread readerThread = new Thread(() -> readInto(reader, parsers, workers, queue), "emma4j-read");
        readerThread.setDaemon(true);
        readerThread.start();
        try {
            while (true) {
                Future<List<Outcome>> next = queue.take();
                if (next == END) {
                    break;
                }
                List<Outcome> outcomes;
                try {
                    outcomes = next.get();
                } catch (ExecutionException e) {
                    throw rethrow(e.getCause());
                }
                for (Outcome o : outcomes) {
                    consumer.accept(o);
                }
            }
        } finally {
            readerThread.interrupt();
            workers.shutdownNow();
            readerThread.join();
            workers.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
        }
    }

    private static void readInto(RecordReader reader, Supplier<RecordParser> parsers, ExecutorService workers,
                                 BlockingQueue<Future<List<Outcome>>> queue) {
        try {
            List<RawRecord> batch = new ArrayList<>();
            long[] bytes = {0};
            reader.readAll(record -> {
                batch.add(record);
                bytes[0] += record.bytes().length;
                if (batch.size() >= BATCH_RECORDS || bytes[0] >= BATCH_BYTES) {
                    submit(List.copyOf(batch), parsers, workers, queue);
                    batch.clear();
                    bytes[0] = 0;
                }
            });
            if (!batch.isEmpty()) {
                submit(List.copyOf(batch), parsers, workers, queue);
            }
            queue.put(END);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            // Reading failed (an unreadable or corrupt file): hand the error over in order, after the
            // batches already queued.
            try {
                queue.put(CompletableFuture.failedFuture(t));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void submit(List<RawRecord> batch, Supplier<RecordParser> parsers, ExecutorService workers,
                               BlockingQueue<Future<List<Outcome>>> queue) throws InterruptedException {
        Future<List<Outcome>> f = workers.submit(() -> {
            RecordParser parser = parsers.get();
            List<Outcome> out = new ArrayList<>(batch.size());
            for (RawRecord r : batch) {
                out.add(parser.parse(r));
            }
            return out;
        });
        queue.put(f);
    }

    private static IOException rethrow(Throwable cause) {
        if (cause instanceof IOException io) {
            return io;
        }
        if (cause instanceof RuntimeException re) {
            throw re;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        return new IOException(cause);
    }
}
