package org.emma4j.model.data.loader;

import org.emma4j.model.data.shards.PackedSequences;

/** Packed sequences held in one int array (for data packed on the fly; small enough to fit in memory). */
final class InMemorySequences implements PackedSequences {
    private final int[] tokens;
    private final int sequenceLength;
    private final long count;
    private final int lastValid;
    private final int padId;

    InMemorySequences(int[] tokens, int sequenceLength, int lastValid, int padId) {
        if (tokens.length % sequenceLength != 0) {
            throw new IllegalArgumentException(tokens.length + " tokens are not whole sequences of " + sequenceLength);
        }
        this.tokens = tokens;
        this.sequenceLength = sequenceLength;
        this.count = tokens.length / sequenceLength;
        this.lastValid = lastValid;
        this.padId = padId;
    }

    @Override
    public long count() {
        return count;
    }

    @Override
    public int sequenceLength() {
        return sequenceLength;
    }

    @Override
    public void read(long index, int[] dst, int offset) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException("sequence " + index + " of " + count);
        }
        System.arraycopy(tokens, (int) (index * sequenceLength), dst, offset, sequenceLength);
    }

    @Override
    public int validLength(long index) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException("sequence " + index + " of " + count);
        }
        return index == count - 1 ? lastValid : sequenceLength;
    }

    @Override
    public int padId() {
        return padId;
    }

    @Override
    public void close() {
    }
}
