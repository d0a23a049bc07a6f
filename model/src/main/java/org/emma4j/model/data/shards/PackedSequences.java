package org.emma4j.model.data.shards;

/**
 * A random-access list of packed sequences of equal length (T + 1 tokens): what the data loader draws
 * batches from, whether memory-mapped shards or sequences packed in memory.
 */
public interface PackedSequences extends AutoCloseable {
    /** Number of sequences. */
    long count();

    /** Tokens per sequence (T + 1). */
    int sequenceLength();

    /** Copies sequence {@code index} into {@code dst[offset .. offset + sequenceLength())}. */
    void read(long index, int[] dst, int offset);

    /** How many leading tokens of sequence {@code index} are real (the rest is padding). */
    int validLength(long index);

    /** The id padding uses (EOS). */
    int padId();

    @Override
    void close();
}
