package org.emma4j.model.train;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;
import org.emma4j.model.io.HfJson;

/**
 * Pre-tokenized JSON Lines held in memory: each line is {@code {"input_ids": [...]}} (other fields ignored)
 * or a bare array of token ids (what {@code ./emma4j tokenize} prints); {@code .gz} files are read
 * transparently and blank lines skipped. A line of n tokens predicts n − 1 next tokens, cut into windows of
 * T labelled positions: window k reads tokens [kT, kT + T] (inputs are the first T, labels the last T), so
 * consecutive windows overlap by one token and every next-token pair is trained on exactly once per epoch.
 * A last, shorter window is padded with token 0 and {@link LlamaTraining#IGNORE_INDEX} labels.
 *
 * <p>With shuffling, each epoch's order is a Fisher–Yates permutation drawn from a generator seeded by
 * (seed, epoch) alone, so any position can be re-entered exactly.
 */
public final class JsonlTokenData implements TrainingData {
    private final Path file;
    private final int seqLen;
    private final long seed;
    private final boolean shuffle;
    private final int[] tokens;
    private final int[] windowStart;
    private final int[] windowLength;
    private final long documents;
    private int[] order;
    private long epoch;
    private long next;

    /**
     * Reads {@code file}, checking every id against {@code vocabSize}.
     *
     * @param shuffle permute the windows each epoch (training) or keep file order (held-out evaluation)
     */
    public JsonlTokenData(Path file, int seqLen, int vocabSize, long seed, boolean shuffle) throws IOException {
        if (seqLen <= 0) {
            throw new IllegalArgumentException("seq_len must be positive, found " + seqLen);
        }
        this.file = file;
        this.seqLen = seqLen;
        this.seed = seed;
        this.shuffle = shuffle;
        IntList all = new IntList();
        IntList starts = new IntList();
        IntList lengths = new IntList();
        ObjectMapper json = HfJson.strictMapper();
        long docs = 0;
        try (BufferedReader in = open(file)) {
            String line;
            long lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                int docStart = all.size();
                readIds(json, line, lineNo, vocabSize, all);
                int n = all.size() - docStart;
                if (n < 2) {
                    throw new IllegalArgumentException(file + ":" + lineNo + ": a sequence needs at least 2 tokens (an input and its "
                            + "next-token label), found " + n);
                }
                for (int s = 0; s < n - 1; s += seqLen) {
                    starts.add(docStart + s);
                    lengths.add(Math.min(seqLen, n - 1 - s));
                }
                docs++;
            }
        }
        if (starts.size() == 0) {
            throw new IllegalArgumentException(file + ": no token sequences (the file is empty)");
        }
        this.tokens = all.toArray();
        this.windowStart = starts.toArray();
        this.windowLength = lengths.toArray();
        this.documents = docs;
        seek(DataPosition.START);
    }

    private static BufferedReader open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString(), null, "token data file not found");
        }
        InputStream raw = Files.newInputStream(file);
        InputStream in = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    }

    private void readIds(ObjectMapper json, String line, long lineNo, int vocabSize, IntList out) {
        JsonNode node;
        try {
            node = json.readTree(line);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(file + ":" + lineNo + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        JsonNode ids = node != null && node.isObject() ? node.get("input_ids") : node;
        if (ids == null || !ids.isArray()) {
            throw new IllegalArgumentException(file + ":" + lineNo + ": expected {\"input_ids\": [...]} or an array of token ids, found "
                    + (node == null ? "nothing" : node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)
                    + (node.isObject() ? " without an input_ids array" : "")));
        }
        for (int i = 0; i < ids.size(); i++) {
            JsonNode id = ids.get(i);
            if (!id.isIntegralNumber() || !id.canConvertToInt()) {
                throw new IllegalArgumentException(file + ":" + lineNo + ": input_ids[" + i + "] is " + id + ", not a token id");
            }
            int v = id.intValue();
            if (v < 0 || v >= vocabSize) {
                throw new IllegalArgumentException(file + ":" + lineNo + ": token id " + v + " (input_ids[" + i + "]) is outside the model's "
                        + "vocabulary [0, " + vocabSize + ")");
            }
            out.add(v);
        }
    }

    @Override
    public int seqLen() {
        return seqLen;
    }

    @Override
    public long sequencesPerEpoch() {
        return windowStart.length;
    }

    /** Lines read. */
    public long documents() {
        return documents;
    }

    @Override
    public void next(int[] inputs, int[] labels, int offset) {
        if (next == windowStart.length) {
            epoch++;
            next = 0;
            order = orderOf(epoch);
        }
        int w = order[(int) next++];
        int start = windowStart[w];
        int len = windowLength[w];
        System.arraycopy(tokens, start, inputs, offset, len);
        System.arraycopy(tokens, start + 1, labels, offset, len);
        Arrays.fill(inputs, offset + len, offset + seqLen, 0);
        Arrays.fill(labels, offset + len, offset + seqLen, LlamaTraining.IGNORE_INDEX);
    }

    @Override
    public DataPosition position() {
        return new DataPosition(epoch, next);
    }

    @Override
    public void seek(DataPosition position) {
        if (position.sequence() > windowStart.length) {
            throw new IllegalArgumentException(file + ": cannot seek to sequence " + position.sequence() + " of epoch " + position.epoch()
                    + ": an epoch has " + windowStart.length + " sequences of " + seqLen + " (is this the data the run was started with?)");
        }
        epoch = position.epoch();
        next = position.sequence();
        order = orderOf(epoch);
    }

    private int[] orderOf(long e) {
        int n = windowStart.length;
        int[] o = new int[n];
        for (int i = 0; i < n; i++) {
            o[i] = i;
        }
        if (shuffle) {
            SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + e);
            for (int i = n - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = o[i];
                o[i] = o[j];
                o[j] = t;
            }
        }
        return o;
    }

    @Override
    public String describe() {
        return file + " (JSON Lines: " + documents + " documents, " + tokens.length + " tokens, " + windowStart.length
                + " sequences of " + seqLen + (shuffle ? ", shuffled" : "") + ")";
    }

    /** A growable int array (no boxing). */
    private static final class IntList {
        private int[] a = new int[1024];
        private int n;

        void add(int v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, Math.multiplyExact(a.length, 2));
            }
            a[n++] = v;
        }

        int size() {
            return n;
        }

        int[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}
