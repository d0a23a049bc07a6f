package org.emma4j.model.data.prepare;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.emma4j.model.data.IntList;
import org.emma4j.model.data.LongList;

/**
 * The tokenized documents between reading and packing: all token ids in one scratch file (written once,
 * in input order, then memory-mapped), and per document its offset, length, language group and record
 * (the documents of one record, such as a pair written both ways, are consecutive and share the record).
 * Documents are numbered in input order.
 */
final class DocumentStore implements AutoCloseable {
    private static final ValueLayout.OfInt TOKEN = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path file;
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    private final LongList starts = new LongList(1 << 12);
    private final IntList lengths = new IntList(1 << 12);
    private final IntList groups = new IntList(1 << 12);
    private final LongList records = new LongList(1 << 12);
    private long tokens;
    private Arena arena;
    private MemorySegment mapped;

    DocumentStore(Path file) throws IOException {
        this.file = file;
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    /** Appends one document of {@code group} belonging to input record {@code record}. */
    void add(int group, long record, int[] ids) throws IOException {
        if (mapped != null) {
            throw new IllegalStateException("the document store is closed for writing");
        }
        starts.add(tokens);
        lengths.add(ids.length);
        groups.add(group);
        records.add(record);
        for (int id : ids) {
            if (!buffer.hasRemaining()) {
                drain();
            }
            buffer.putInt(id);
        }
        tokens += ids.length;
    }

    private void drain() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }

    /** Ends writing and maps the tokens for reading. */
    void finishWriting() throws IOException {
        drain();
        arena = Arena.ofConfined();
        mapped = tokens == 0 ? MemorySegment.NULL : channel.map(FileChannel.MapMode.READ_ONLY, 0, 4 * tokens, arena);
    }

    int documentCount() {
        return lengths.size();
    }

    int length(int doc) {
        return lengths.get(doc);
    }

    int group(int doc) {
        return groups.get(doc);
    }

    long record(int doc) {
        return records.get(doc);
    }

    /** Copies document {@code doc}'s ids into {@code dst} (at least {@link #length} long). */
    void read(int doc, int[] dst) {
        MemorySegment.copy(mapped, TOKEN, 4 * starts.get(doc), dst, 0, lengths.get(doc));
    }

    long tokenCount() {
        return tokens;
    }

    Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        if (arena != null) {
            arena.close();
        }
        channel.close();
    }
}
