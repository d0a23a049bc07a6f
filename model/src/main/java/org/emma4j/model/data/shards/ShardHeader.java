package org.emma4j.model.data.shards;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.emma4j.model.data.mix.TokenDType;

/**
 * The 64-byte header of a token shard file. All numbers little-endian:
 *
 * <pre>
 * offset size field
 *  0     8    magic "E4JTOKEN" (ASCII)
 *  8     4    version = 1
 * 12     4    dtype: 1 = uint32, 2 = int32 (every token is 4 bytes)
 * 16     4    sequence_length: tokens per packed sequence (T + 1: inputs and labels shifted by one)
 * 20     4    header_length = 64 (the tokens start here)
 * 24     8    sequence_count
 * 32     8    valid_tokens: tokens before the padding that fills the split's last sequence
 * 40     4    pad_id (the id the padding repeats: EOS)
 * 44    20    zero
 * 64          sequence_count x sequence_length tokens, sequence after sequence
 * </pre>
 *
 * The file is exactly {@code 64 + 4 * sequence_count * sequence_length} bytes.
 */
public record ShardHeader(TokenDType dtype, int sequenceLength, long sequenceCount, long validTokens, int padId) {
    public static final int LENGTH = 64;
    public static final int VERSION = 1;
    static final byte[] MAGIC = "E4JTOKEN".getBytes(StandardCharsets.US_ASCII);

    public ShardHeader {
        if (sequenceLength < 2) {
            throw new IllegalArgumentException("sequence_length must be at least 2, found " + sequenceLength);
        }
        if (sequenceCount < 0 || validTokens < 0 || validTokens > sequenceCount * sequenceLength) {
            throw new IllegalArgumentException("inconsistent shard header: " + sequenceCount + " sequences of "
                    + sequenceLength + " tokens, " + validTokens + " valid tokens");
        }
    }

    /** Total tokens stored, padding included. */
    public long tokenCount() {
        return sequenceCount * sequenceLength;
    }

    /** The size the file must have. */
    public long fileSize() {
        return LENGTH + 4L * tokenCount();
    }

    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC);
        b.putInt(VERSION);
        b.putInt(dtype.code());
        b.putInt(sequenceLength);
        b.putInt(LENGTH);
        b.putLong(sequenceCount);
        b.putLong(validTokens);
        b.putInt(padId);
        return b.array();
    }

    /** Parses and checks a header; {@code file} names the shard in messages. */
    public static ShardHeader parse(ByteBuffer bytes, String file) {
        ByteBuffer b = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() < LENGTH) {
            throw new IllegalArgumentException(file + ": too short for a token shard header (" + b.remaining() + " bytes)");
        }
        byte[] magic = new byte[8];
        b.get(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new IllegalArgumentException(file + ": not an emma4j token shard (magic is not E4JTOKEN)");
        }
        int version = b.getInt();
        if (version != VERSION) {
            throw new IllegalArgumentException(file + ": token shard version " + version + ", this emma4j reads version " + VERSION);
        }
        TokenDType dtype;
        try {
            dtype = TokenDType.ofCode(b.getInt());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        int sequenceLength = b.getInt();
        int headerLength = b.getInt();
        if (headerLength != LENGTH) {
            throw new IllegalArgumentException(file + ": header_length " + headerLength + ", expected " + LENGTH);
        }
        long count = b.getLong();
        long valid = b.getLong();
        int pad = b.getInt();
        try {
            return new ShardHeader(dtype, sequenceLength, count, valid, pad);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }
}
