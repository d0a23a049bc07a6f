package org.emma4j.model.data.shards;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One shard file, memory-mapped read-only (no size limit: a MemorySegment, not a 2 GB ByteBuffer). The
 * header is checked, and so is the file size against it. Reads are thread-safe; {@link #close()} unmaps.
 */
public final class TokenShard implements AutoCloseable {
    private static final ValueLayout.OfInt TOKEN = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path file;
    private final Arena arena;
    private final MemorySegment segment;
    private final ShardHeader header;

    private TokenShard(Path file, Arena arena, MemorySegment segment, ShardHeader header) {
        this.file = file;
        this.arena = arena;
        this.segment = segment;
        this.header = header;
    }

    public static TokenShard open(Path file) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < ShardHeader.LENGTH) {
                throw new IllegalArgumentException(file + ": " + size + " bytes is too short for a token shard");
            }
            MemorySegment segment = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            ShardHeader header = ShardHeader.parse(segment.asSlice(0, ShardHeader.LENGTH).asByteBuffer(), file.toString());
            if (header.fileSize() != size) {
                throw new IllegalArgumentException(file + ": the header promises " + header.sequenceCount() + " sequences of "
                        + header.sequenceLength() + " tokens (" + header.fileSize() + " bytes) but the file has " + size
                        + " bytes (truncated or corrupt)");
            }
            return new TokenShard(file, arena, segment, header);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    public ShardHeader header() {
        return header;
    }

    public Path file() {
        return file;
    }

    /** Copies sequence {@code index} of this shard into {@code dst} at {@code offset}. */
    public void read(long index, int[] dst, int offset) {
        if (index < 0 || index >= header.sequenceCount()) {
            throw new IndexOutOfBoundsException(file + ": sequence " + index + " of " + header.sequenceCount());
        }
        int len = header.sequenceLength();
        MemorySegment.copy(segment, TOKEN, ShardHeader.LENGTH + 4L * index * len, dst, offset, len);
    }

    /** Token {@code i} of the whole shard (for checks and tests). */
    public int token(long i) {
        return segment.get(TOKEN, ShardHeader.LENGTH + 4L * i);
    }

    @Override
    public void close() {
        arena.close();
    }
}
