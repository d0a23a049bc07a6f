package org.emma4j.model.data.bpe;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.emma4j.model.data.ProgressLine;
import org.emma4j.model.data.io.ByteLineReader;
import org.emma4j.model.data.io.CompressedInput;
import org.emma4j.model.data.io.JsonLines;
import org.emma4j.model.data.io.StrictUtf8;

/**
 * Reads tokenizer-training text and counts its pieces on several threads. A file whose name contains
 * {@code .jsonl} or {@code .json} is JSON Lines: every string field named in {@code textFields} that a
 * line has is a text (so monolingual {@code text} and bilingual {@code src_text}/{@code tgt_text} files
 * both work); any other file is plain UTF-8 text. {@code progress} (stderr, or null) shows a progress line. {@code .gz}/{@code .zst} are read transparently. Bad
 * UTF-8 or JSON stops with the file and line named. The counts do not depend on the thread count.
 */
public final class TrainingText {
    private static final int CHUNK_CHARS = 1 << 20;

    private TrainingText() {
    }

    public static PieceCounts countPieces(List<Path> files, List<String> textFields, int threads, PrintStream progress)
            throws IOException {
        List<PieceCounts> perThread = Collections.synchronizedList(new ArrayList<>());
        ThreadLocal<PieceCounts> local = ThreadLocal.withInitial(() -> {
            PieceCounts c = new PieceCounts();
            perThread.add(c);
            return c;
        });
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "emma4j-bpe-count");
            t.setDaemon(true);
            return t;
        });
        Semaphore inFlight = new Semaphore(2 * threads);
        List<Future<?>> futures = new ArrayList<>();
        AtomicLong bytesRead = new AtomicLong();
        long total = 0;
        for (Path f : files) {
            total += Files.size(f);
        }
        ProgressLine line = new ProgressLine(progress, "tokenizer-train: reading", total, "B");
        try {
            JsonLines json = new JsonLines();
            StrictUtf8 utf8 = new StrictUtf8();
            for (Path file : files) {
                String name = file.toString();
                String fileName = file.getFileName().toString();
                boolean jsonl = fileName.contains(".jsonl") || fileName.contains(".json");
                List<String> texts = new ArrayList<>();
                StringBuilder chunk = new StringBuilder(CHUNK_CHARS + 1024);
                long chars = 0;
                try (ByteLineReader lines = new ByteLineReader(CompressedInput.open(file, bytesRead))) {
                    while (lines.next()) {
                        String text = utf8.decode(lines.bytes(), lines.length(), name, lines.lineNumber());
                        if (jsonl) {
                            JsonNode node = json.parseObject(text, name, lines.lineNumber());
                            for (String field : textFields) {
                                JsonNode v = node.get(field);
                                if (v != null && v.isTextual()) {
                                    texts.add(v.textValue());
                                    chars += v.textValue().length();
                                }
                            }
                        } else {
                            chunk.append(text).append('\n');
                            chars = chunk.length();
                        }
                        if (chars >= CHUNK_CHARS) {
                            submit(jsonl ? texts : List.of(chunk.toString()), pool, inFlight, local, futures);
                            texts = new ArrayList<>();
                            chunk.setLength(0);
                            chars = 0;
                        }
                        line.update(bytesRead.get(), null);
                    }
                }
                if (chars > 0) {
                    submit(jsonl ? texts : List.of(chunk.toString()), pool, inFlight, local, futures);
                }
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while counting pieces", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("counting pieces failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        PieceCounts all = new PieceCounts();
        perThread.forEach(all::addAll);
        line.done(bytesRead.get(), ProgressLine.human(all.total()) + " pieces, " + ProgressLine.human(all.distinct()) + " distinct");
        return all;
    }

    private static void submit(List<String> texts, ExecutorService pool, Semaphore inFlight, ThreadLocal<PieceCounts> local,
                               List<Future<?>> futures) throws InterruptedException {
        inFlight.acquire();
        futures.add(pool.submit(() -> {
            try {
                PieceCounts counts = local.get();
                for (String text : texts) {
                    counts.add(text);
                }
            } finally {
                inFlight.release();
            }
        }));
    }
}
