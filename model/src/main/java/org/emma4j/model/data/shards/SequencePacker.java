package org.emma4j.model.data.shards;

import java.io.IOException;
import org.emma4j.model.data.mix.BosPolicy;

/**
 * Packs documents into fixed-length sequences: each document is followed by EOS; BOS goes at the start of
 * every sequence or of every document, or nowhere ({@link BosPolicy}). Documents are cut at sequence
 * boundaries and continue in the next sequence, so every token of every document is packed exactly once.
 * {@link #finish()} pads the last, partial sequence with the pad id (EOS) and says how much of it is real.
 */
public final class SequencePacker {
    /** Receives each full (or final, padded) sequence; the array is reused after the call returns. */
    @FunctionalInterface
    public interface Sink {
        void accept(int[] sequence, int valid) throws IOException;
    }

    private final int[] sequence;
    private final BosPolicy bos;
    private final int bosId;
    private final int eosId;
    private final int padId;
    private final Sink sink;
    private int fill;
    private long documents;
    private long sequences;

    public SequencePacker(int sequenceLength, BosPolicy bos, int bosId, int eosId, int padId, Sink sink) {
        if (sequenceLength < 2) {
            throw new IllegalArgumentException("sequence length must be at least 2 (T + 1 with T >= 1), found " + sequenceLength);
        }
        this.sequence = new int[sequenceLength];
        this.bos = bos;
        this.bosId = bosId;
        this.eosId = eosId;
        this.padId = padId;
        this.sink = sink;
    }

    /** Packs {@code tokens[from .. from + length)} as one document. */
    public void addDocument(int[] tokens, int from, int length) throws IOException {
        if (bos == BosPolicy.DOCUMENT_START) {
            put(bosId);
        }
        int pos = from;
        int end = from + length;
        while (pos < end) {
            startSequenceIfEmpty();
            int n = Math.min(end - pos, sequence.length - fill);
            System.arraycopy(tokens, pos, sequence, fill, n);
            fill += n;
            pos += n;
            emitIfFull();
        }
        put(eosId);
        documents++;
    }

    private void put(int id) throws IOException {
        startSequenceIfEmpty();
        sequence[fill++] = id;
        emitIfFull();
    }

    private void startSequenceIfEmpty() {
        if (fill == 0 && bos == BosPolicy.SEQUENCE_START) {
            sequence[fill++] = bosId;
        }
    }

    private void emitIfFull() throws IOException {
        if (fill == sequence.length) {
            sink.accept(sequence, fill);
            sequences++;
            fill = 0;
        }
    }

    /** Emits the partial last sequence, padded; nothing if it would hold no document token. */
    public void finish() throws IOException {
        boolean onlyBos = bos == BosPolicy.SEQUENCE_START && fill == 1;
        if (fill > 0 && !onlyBos) {
            int valid = fill;
            java.util.Arrays.fill(sequence, fill, sequence.length, padId);
            sink.accept(sequence, valid);
            sequences++;
        }
        fill = 0;
    }

    public long documents() {
        return documents;
    }

    public long sequences() {
        return sequences;
    }
}
