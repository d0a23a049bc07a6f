package org.emma4j.model.safetensors;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.emma4j.kernels.Storage;
import org.emma4j.kernels.Tensor;

/**
 * One safetensors file, memory-mapped once, read-only. {@link #tensor} returns a zero-copy {@link Tensor}
 * over the mapping (host storage, named with its checkpoint name), so opening an 8B checkpoint costs no heap
 * and no copying; pages are read from disk as the kernels touch them. The header is fully validated on
 * {@link #open}. Closing unmaps the file: tensors from it must not be used afterwards (access then fails
 * with an exception rather than reading freed memory).
 *
 * <p>The mapping is read-only: writing into these tensors fails. Copy the weights into a
 * {@link org.emma4j.kernels.TensorScope} to train them.
 */
public final class SafetensorsFile implements AutoCloseable {
    private static final ValueLayout.OfLong U64_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path path;
    private final Arena arena;
    private final Storage.Host data;
    private final Map<String, SafetensorsEntry> entries;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path path, Arena arena, MemorySegment dataSection, SafetensorsHeader.Parsed header) {
        this.path = path;
        this.arena = arena;
        this.data = new Storage.Host(dataSection);
        Map<String, SafetensorsEntry> m = new LinkedHashMap<>();
        for (SafetensorsEntry e : header.entries()) {
            m.put(e.name(), e);
        }
        this.entries = Collections.unmodifiableMap(m);
        this.metadata = header.metadata();
    }

    /** Maps and validates a safetensors file. */
    public static SafetensorsFile open(Path path) throws IOException {
        long fileSize = Files.size(path);
        String file = path.toString();
        if (fileSize < 8) {
            throw new SafetensorsFormatException(file + ": the file is " + fileSize + " bytes, too short for the 8-byte header length");
        }
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment map = ch.map(FileChannel.MapMode.READ_ONLY, 0, fileSize, arena);
            long headerLength = map.get(U64_LE, 0);
            if (headerLength < 0 || headerLength > fileSize - 8) {
                throw new SafetensorsFormatException(file + ": the header length " + Long.toUnsignedString(headerLength)
                        + " runs past the end of the file (" + fileSize + " bytes): the file is truncated or not safetensors");
            }
            if (headerLength > SafetensorsHeader.MAX_HEADER_BYTES) {
                throw new SafetensorsFormatException(file + ": the header length " + headerLength + " exceeds the "
                        + SafetensorsHeader.MAX_HEADER_BYTES + "-byte limit: the file is corrupt or not safetensors");
            }
            byte[] json = map.asSlice(8, headerLength).toArray(ValueLayout.JAVA_BYTE);
            long dataStart = 8 + headerLength;
            SafetensorsHeader.Parsed header = SafetensorsHeader.parse(json, file, fileSize - dataStart);
            return new SafetensorsFile(path, arena, map.asSlice(dataStart), header);
        } catch (IOException | RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    /** Tensor names in sorted order. */
    public Set<String> names() {
        return entries.keySet();
    }

    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    /** Header entries sorted by name. */
    public List<SafetensorsEntry> entries() {
        return List.copyOf(entries.values());
    }

    public SafetensorsEntry entry(String name) {
        SafetensorsEntry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException(path + " has no tensor '" + name + "'");
        }
        return e;
    }

    /** The {@code __metadata__} strings (empty when absent). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** A zero-copy, read-only view of the tensor's bytes, named with its checkpoint name. */
    public Tensor tensor(String name) {
        SafetensorsEntry e = entry(name);
        return new Tensor(e.dtype(), e.shape(), data, e.begin(), name);
    }

    /** Unmaps the file. */
    @Override
    public void close() {
        arena.close();
    }

    @Override
    public String toString() {
        return "SafetensorsFile[" + path + ", " + entries.size() + " tensors]";
    }
}
