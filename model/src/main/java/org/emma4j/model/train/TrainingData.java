package org.emma4j.model.train;

/**
 * A source of fixed-length training sequences in a deterministic order: the order of each epoch is a
 * function of the seed and the epoch alone, and {@link #position()} / {@link #seek} let a resumed run
 * continue with exactly the sequence an uninterrupted run would have read next. Sources wrap around to the
 * next epoch (and its order) when one ends.
 *
 * <p>A sequence is {@link #seqLen()} inputs and as many labels (the next token, or
 * {@link LlamaTraining#IGNORE_INDEX} for padding and masked positions).
 */
public interface TrainingData extends AutoCloseable {

    /** Positions per sequence. */
    int seqLen();

    /** Sequences in one epoch. */
    long sequencesPerEpoch();

    /** Writes the next sequence into {@code inputs} and {@code labels} at {@code offset}, and advances. */
    void next(int[] inputs, int[] labels, int offset);

    /** The position of the next sequence. */
    DataPosition position();

    /** Continues from {@code position} (as returned by {@link #position()} of a source over the same data and seed). */
    void seek(DataPosition position);

    /** What this source reads, for logs. */
    String describe();

    /** B sequences as one micro-batch, row-major. */
    default MicroBatch nextMicroBatch(int batch) {
        int t = seqLen();
        int[] inputs = new int[batch * t];
        int[] labels = new int[batch * t];
        for (int b = 0; b < batch; b++) {
            next(inputs, labels, b * t);
        }
        return new MicroBatch(inputs, labels);
    }

    @Override
    default void close() {
    }
}
