package org.emma4j.model.data.loader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.emma4j.model.data.Seeds;
import org.emma4j.model.data.mix.BosPolicy;
import org.emma4j.model.data.shards.PackedSequences;
import org.emma4j.model.data.shards.TokenShardDataset;

/**
 * Batches of packed sequences for training: B sequences of T + 1 tokens per call, as inputs (tokens 0..T-1)
 * and labels (tokens 1..T).
 *
 * <p>Order: epoch e visits the N sequences in the order of a {@link SeededPermutation} seeded by
 * (seed, e). A step takes the next B x W permuted positions (W ranks, B sequences each): rank r's rows are
 * positions {@code (step * W + r) * B .. + B}. So within an epoch every sequence is used exactly once, the
 * ranks' slices are disjoint and together cover everything, and every rank runs the same number of steps,
 * {@code ceil(N / (B * W))}. Rows past N in the epoch's last step are padding: inputs are the pad id and
 * every label is {@link #IGNORE_LABEL}; {@link #nextBatch} returns how many rows are real. Labels of the
 * padding inside the split's last sequence are {@link #IGNORE_LABEL} too.
 *
 * <p>The position ({@link LoaderPosition}: epoch, step) is all the state there is: {@link #seek} to a saved
 * position and the following batches are exactly those an uninterrupted loader would have given. One loader
 * per rank; not thread-safe.
 */
public final class DataLoader implements AutoCloseable {
    /** The label of positions that must not be trained on (pass it as the cross-entropy ignore index). */
    public static final int IGNORE_LABEL = -100;

    private final PackedSequences sequences;
    private final int microBatch;
    private final long seed;
    private final int rank;
    private final int worldSize;
    private final long stepsPerEpoch;
    private final int[] row;
    private long epoch;
    private long step;
    private SeededPermutation permutation;

    private DataLoader(PackedSequences sequences, int microBatch, long seed, int rank, int worldSize) {
        if (microBatch < 1) {
            throw new IllegalArgumentException("microBatch must be positive, found " + microBatch);
        }
        if (worldSize < 1 || rank < 0 || rank >= worldSize) {
            throw new IllegalArgumentException("rank " + rank + " is outside a world of " + worldSize);
        }
        if (sequences.count() < 1) {
            throw new IllegalArgumentException("the dataset holds no sequences");
        }
        this.sequences = sequences;
        this.microBatch = microBatch;
        this.seed = seed;
        this.rank = rank;
        this.worldSize = worldSize;
        long perStep = (long) microBatch * worldSize;
        this.stepsPerEpoch = (sequences.count() + perStep - 1) / perStep;
        this.row = new int[sequences.sequenceLength()];
        this.permutation = new SeededPermutation(sequences.count(), Seeds.derive(seed, 0));
    }

    /** The training split of a shards directory written by {@code emma4j prepare}. */
    public static DataLoader open(Path shardsDir, int seqLen, int microBatch, long seed, int rank, int worldSize) throws IOException {
        return open(shardsDir, "train", seqLen, microBatch, seed, rank, worldSize);
    }

    /** Split {@code split} ("train" or "validation") of a shards directory. */
    public static DataLoader open(Path shardsDir, String split, int seqLen, int microBatch, long seed, int rank, int worldSize)
            throws IOException {
        TokenShardDataset data = TokenShardDataset.open(shardsDir, split);
        try {
            checkSeqLen(data, seqLen, shardsDir.toString());
            return new DataLoader(data, microBatch, seed, rank, worldSize);
        } catch (RuntimeException e) {
            data.close();
            throw e;
        }
    }

    /**
     * Pre-tokenized JSON Lines ({@code {"input_ids": [...]}}, .gz/.zst read transparently) packed on the fly
     * with the same rules as {@code prepare}: EOS after each document, BOS as {@code bos} says, documents in
     * file order, the last sequence padded with EOS.
     */
    public static DataLoader openTokenizedJsonl(List<Path> files, BosPolicy bos, int bosId, int eosId, int seqLen,
                                                int microBatch, long seed, int rank, int worldSize) throws IOException {
        PackedSequences data = TokenizedJsonlPacking.pack(files, "input_ids", seqLen + 1, bos, bosId, eosId);
        return new DataLoader(data, microBatch, seed, rank, worldSize);
    }

    /** Any packed sequences (the caller keeps ownership: closing the loader closes them). */
    public static DataLoader of(PackedSequences sequences, int seqLen, int microBatch, long seed, int rank, int worldSize) {
        checkSeqLen(sequences, seqLen, "the dataset");
        return new DataLoader(sequences, microBatch, seed, rank, worldSize);
    }

    private static void checkSeqLen(PackedSequences data, int seqLen, String what) {
        if (data.sequenceLength() != seqLen + 1) {
            throw new IllegalArgumentException(what + " holds sequences of " + data.sequenceLength() + " tokens (seq_len "
                    + (data.sequenceLength() - 1) + "), but the loader was asked for seq_len " + seqLen);
        }
    }

    /**
     * Fills {@code inputs} and {@code labels} (each at least B x T, row-major) with the next batch and
     * advances; returns the number of real rows (B except at the end of an epoch).
     */
    public int nextBatch(int[] inputs, int[] labels) {
        int t = sequences.sequenceLength() - 1;
        checkLength("inputs", inputs, (long) microBatch * t);
        checkLength("labels", labels, (long) microBatch * t);
        int real = 0;
        for (int b = 0; b < microBatch; b++) {
            long pos = (step * worldSize + rank) * (long) microBatch + b;
            int at = b * t;
            if (pos >= sequences.count()) {
                java.util.Arrays.fill(inputs, at, at + t, sequences.padId());
                java.util.Arrays.fill(labels, at, at + t, IGNORE_LABEL);
                continue;
            }
            long index = permutation.apply(pos);
            sequences.read(index, row, 0);
            int valid = sequences.validLength(index);
            System.arraycopy(row, 0, inputs, at, t);
            for (int i = 0; i < t; i++) {
                labels[at + i] = i + 1 < valid ? row[i + 1] : IGNORE_LABEL;
            }
            real++;
        }
        advance();
        return real;
    }

    /**
     * Fills {@code tokens} (at least B x (T + 1)) with the next batch's whole sequences and advances;
     * padding rows hold the pad id. Returns the number of real rows. Use either this or {@link #nextBatch}.
     */
    public int nextSequences(int[] tokens) {
        int len = sequences.sequenceLength();
        checkLength("tokens", tokens, (long) microBatch * len);
        int real = 0;
        for (int b = 0; b < microBatch; b++) {
            long pos = (step * worldSize + rank) * (long) microBatch + b;
            if (pos >= sequences.count()) {
                java.util.Arrays.fill(tokens, b * len, (b + 1) * len, sequences.padId());
                continue;
            }
            sequences.read(permutation.apply(pos), tokens, b * len);
            real++;
        }
        advance();
        return real;
    }

    /** The index (in the dataset) of each sequence in the next batch of this rank; -1 for padding rows. */
    public long[] peekSequenceIndices() {
        long[] out = new long[microBatch];
        for (int b = 0; b < microBatch; b++) {
            long pos = (step * worldSize + rank) * (long) microBatch + b;
            out[b] = pos < sequences.count() ? permutation.apply(pos) : -1;
        }
        return out;
    }

    private void advance() {
        step++;
        if (step == stepsPerEpoch) {
            epoch++;
            step = 0;
            permutation = new SeededPermutation(sequences.count(), Seeds.derive(seed, epoch));
        }
    }

    private void checkLength(String name, int[] array, long needed) {
        if (array.length < needed) {
            throw new IllegalArgumentException(name + " has " + array.length + " elements, a batch of " + microBatch
                    + " x " + (needed / microBatch) + " needs " + needed);
        }
    }

    /** The position of the next batch. */
    public LoaderPosition position() {
        return new LoaderPosition(epoch, step);
    }

    /** Continues from {@code position} (as saved by {@link #position()}). */
    public void seek(LoaderPosition position) {
        if (position.step() >= stepsPerEpoch) {
            throw new IllegalArgumentException("position " + position + " is past the end of an epoch of " + stepsPerEpoch
                    + " steps (was it saved with another batch size, world size or dataset?)");
        }
        epoch = position.epoch();
        step = position.step();
        permutation = new SeededPermutation(sequences.count(), Seeds.derive(seed, epoch));
    }

    /** Steps per epoch, the same on every rank: ceil(N / (B x W)). */
    public long stepsPerEpoch() {
        return stepsPerEpoch;
    }

    /** N, the sequences in the dataset. */
    public long sequenceCount() {
        return sequences.count();
    }

    public int microBatch() {
        return microBatch;
    }

    /** T. */
    public int seqLen() {
        return sequences.sequenceLength() - 1;
    }

    @Override
    public void close() {
        sequences.close();
    }
}
