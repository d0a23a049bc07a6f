package org.emma4j.model.data.shards;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.emma4j.model.data.mix.TokenDType;

/**
 * Writes packed sequences of one split into shard files {@code <split>-00000.bin}, {@code -00001}, ... of
 * at most {@code sequencesPerShard} sequences each (format: {@link ShardHeader}). Only the split's very last
 * sequence may be padded. Call {@link #finish()} to complete the last file. Not thread-safe.
 */
public final class ShardWriter implements AutoCloseable {
    private final Path dir;
    private final String split;
    private final TokenDType dtype;
    private final int sequenceLength;
    private final long sequencesPerShard;
    private final int padId;
    private final ByteBuffer buffer = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    private final List<ShardInfo> shards = new ArrayList<>();
    private FileChannel channel;
    private MessageDigest digest;
    private String fileName;
    private long sequencesInFile;
    private long validInFile;
    private boolean padded;

    public ShardWriter(Path dir, String split, TokenDType dtype, int sequenceLength, long sequencesPerShard, int padId) {
        if (sequencesPerShard < 1) {
            throw new IllegalArgumentException("sequencesPerShard must be positive, found " + sequencesPerShard);
        }
        this.dir = dir;
        this.split = split;
        this.dtype = dtype;
        this.sequenceLength = sequenceLength;
        this.sequencesPerShard = sequencesPerShard;
        this.padId = padId;
    }

    /**
     * Appends one sequence: {@code tokens[0 .. sequenceLength)}, of which the first {@code valid} are real
     * and the rest padding (only allowed for the last sequence written).
     */
    public void write(int[] tokens, int valid) throws IOException {
        if (padded) {
            throw new IllegalStateException(split + ": a padded sequence must be the last one of its split");
        }
        if (valid < 1 || valid > sequenceLength || tokens.length < sequenceLength) {
            throw new IllegalArgumentException(split + ": a sequence needs " + sequenceLength + " tokens with 1.."
                    + sequenceLength + " valid, got " + tokens.length + " with " + valid + " valid");
        }
        if (channel == null) {
            open();
        }
        for (int i = 0; i < sequenceLength; i++) {
            if (dtype == TokenDType.INT32 && tokens[i] < 0) {
                throw new IllegalArgumentException(split + ": negative token id " + tokens[i]);
            }
            if (!buffer.hasRemaining()) {
                drain();
            }
            buffer.putInt(tokens[i]);
        }
        sequencesInFile++;
        validInFile += valid;
        padded = valid < sequenceLength;
        if (sequencesInFile == sequencesPerShard) {
            closeFile();
        }
    }

    private void open() throws IOException {
        fileName = String.format("%s-%05d.bin", split, shards.size());
        channel = FileChannel.open(dir.resolve(fileName), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        channel.position(ShardHeader.LENGTH);
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        sequencesInFile = 0;
        validInFile = 0;
    }

    private void drain() throws IOException {
        buffer.flip();
        digest.update(buffer.duplicate());
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }

    private void closeFile() throws IOException {
        drain();
        ShardHeader header = new ShardHeader(dtype, sequenceLength, sequencesInFile, validInFile, padId);
        ByteBuffer head = ByteBuffer.wrap(header.toBytes());
        long at = 0;
        while (head.hasRemaining()) {
            at += channel.write(head, at);
        }
        channel.close();
        channel = null;
        shards.add(new ShardInfo(fileName, sequencesInFile, validInFile, HexFormat.of().formatHex(digest.digest())));
    }

    /** Completes the last file; returns every shard written, in order. */
    public List<ShardInfo> finish() throws IOException {
        if (channel != null) {
            closeFile();
        }
        return List.copyOf(shards);
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }
}
