package org.emma4j.model.safetensors;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.emma4j.model.io.AtomicFiles;

/**
 * Writes one safetensors file the way the reference implementation does: header keys sorted, tensor data
 * in that same (name) order with contiguous offsets, the header JSON padded with spaces so the data starts
 * 8-byte aligned, and dtypes named "F32", "BF16", "F16". The file is produced through a memory mapping of a
 * temporary sibling, each tensor's bytes written in place by its {@link TensorContent}, then flushed (fsync)
 * and renamed over the destination, so a crash never leaves a half-written file under the final name.
 */
public final class SafetensorsWriter {
    private SafetensorsWriter() {
    }

    private static final ValueLayout.OfLong U64_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Metadata Hugging Face transformers requires to load a safetensors file as PyTorch weights. */
    public static final Map<String, String> PYTORCH_METADATA = Map.of("format", "pt");

    /** Writes {@code tensors} (any order; names unique) to {@code file} with the given {@code __metadata__}. */
    public static void write(Path file, List<TensorSource> tensors, Map<String, String> metadata, WriteProgress progress)
            throws IOException {
        List<TensorSource> sorted = new ArrayList<>(tensors);
        sorted.sort(Comparator.comparing(TensorSource::name));
        Set<String> seen = new HashSet<>();
        List<SafetensorsEntry> entries = new ArrayList<>(sorted.size());
        long offset = 0;
        for (TensorSource t : sorted) {
            if (!seen.add(t.name())) {
                throw new IllegalArgumentException(file + ": tensor '" + t.name() + "' is given twice");
            }
            long end = Math.addExact(offset, t.byteSize());
            entries.add(new SafetensorsEntry(t.name(), t.dtype(), t.shape(), offset, end));
            offset = end;
        }
        byte[] header = SafetensorsHeader.encode(entries, metadata);
        long dataStart = 8L + header.length;
        long total = dataStart + offset;

        Path target = file.toAbsolutePath().normalize();
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE));
        boolean moved = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
                 Arena arena = Arena.ofShared()) {
                MemorySegment map = ch.map(FileChannel.MapMode.READ_WRITE, 0, total, arena);
                map.set(U64_LE, 0, header.length);
                MemorySegment.copy(header, 0, map, ValueLayout.JAVA_BYTE, 8, header.length);
                for (int i = 0; i < sorted.size(); i++) {
                    TensorSource t = sorted.get(i);
                    SafetensorsEntry e = entries.get(i);
                    t.content().writeTo(map.asSlice(dataStart + e.begin(), e.byteSize()));
                    progress.tensorWritten(t.name(), e.byteSize());
                }
                map.force();
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
            AtomicFiles.fsyncDirectory(target.getParent());
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** Writes {@code tensors} with the PyTorch metadata Hugging Face expects. */
    public static void write(Path file, List<TensorSource> tensors) throws IOException {
        write(file, tensors, PYTORCH_METADATA, WriteProgress.NONE);
    }
}
