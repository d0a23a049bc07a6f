package org.emma4j.model.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path root;

    private List<String> entries(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void directoryAppearsWholeOrNotAtAll() throws Exception {
        Path target = root.resolve("model");
        AtomicFiles.writeDirectory(target, false, tmp -> {
            assertFalse(Files.exists(target), "nothing visible under the final name while writing");
            Files.writeString(tmp.resolve("a.txt"), "alpha");
            Files.createDirectory(tmp.resolve("sub"));
            Files.writeString(tmp.resolve("sub/b.txt"), "beta");
        });
        assertEquals("alpha", Files.readString(target.resolve("a.txt")));
        assertEquals("beta", Files.readString(target.resolve("sub/b.txt")));
        assertEquals(List.of("model"), entries(root), "no temporary directory left");

        IOException failure = assertThrows(IOException.class, () -> AtomicFiles.writeDirectory(root.resolve("broken"), false, tmp -> {
            Files.writeString(tmp.resolve("half.txt"), "half");
            throw new IOException("disk full (simulated)");
        }));
        assertEquals("disk full (simulated)", failure.getMessage());
        assertEquals(List.of("model"), entries(root), "a failed write leaves nothing behind");
    }

    @Test
    void refusesToReplaceANonEmptyDirectoryUnlessAsked() throws Exception {
        Path target = root.resolve("ckpt");
        AtomicFiles.writeDirectory(target, false, tmp -> Files.writeString(tmp.resolve("v"), "1"));
        var e = assertThrows(FileAlreadyExistsException.class,
                () -> AtomicFiles.writeDirectory(target, false, tmp -> Files.writeString(tmp.resolve("v"), "2")));
        assertTrue(e.getMessage().contains(target.toString()), e.getMessage());
        assertEquals("1", Files.readString(target.resolve("v")));

        // A failure while replacing keeps the old content.
        assertThrows(IOException.class, () -> AtomicFiles.writeDirectory(target, true, tmp -> {
            throw new IOException("interrupted");
        }));
        assertEquals("1", Files.readString(target.resolve("v")));

        AtomicFiles.writeDirectory(target, true, tmp -> Files.writeString(tmp.resolve("w"), "2"));
        assertEquals(List.of("w"), entries(target), "replaced, not merged");
        assertEquals(List.of("ckpt"), entries(root), "the old directory is gone");

        Path empty = Files.createDirectory(root.resolve("empty"));
        AtomicFiles.writeDirectory(empty, false, tmp -> Files.writeString(tmp.resolve("x"), "3"));
        assertEquals("3", Files.readString(empty.resolve("x")), "an empty directory may be filled without --force");
    }

    @Test
    void writesFilesAtomically() throws Exception {
        Path f = root.resolve("deep/dir/file.json");
        AtomicFiles.writeString(f, "{}");
        AtomicFiles.writeString(f, "{\"a\": 1}");
        assertEquals("{\"a\": 1}", Files.readString(f));
        assertEquals(List.of("file.json"), entries(f.getParent()));
    }

    @Test
    void byteSizesReadLikeHuggingFace() {
        assertEquals(5_000_000_000L, ByteSizes.parse("5GB"));
        assertEquals(5L << 30, ByteSizes.parse("5GiB"));
        assertEquals(500_000_000L, ByteSizes.parse("500MB"));
        assertEquals(1536, ByteSizes.parse("1.5KiB"));
        assertEquals(123, ByteSizes.parse("123"));
        assertEquals("16.06 GB", ByteSizes.format(16_060_522_496L));
        assertThrows(IllegalArgumentException.class, () -> ByteSizes.parse("five gigs"));
        assertThrows(IllegalArgumentException.class, () -> ByteSizes.parse("0GB"));
    }
}
