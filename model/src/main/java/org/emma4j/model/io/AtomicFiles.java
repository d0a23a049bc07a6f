package org.emma4j.model.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Crash-safe writes: everything is written under a temporary name next to its destination, flushed to disk
 * (fsync), and only then renamed into place, so a reader (or a training run resuming after a crash) sees
 * either the complete old content or the complete new content, never a half-written file.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Fills a directory that will be renamed into place once complete. */
    @FunctionalInterface
    public interface DirectoryWriter {
        void writeInto(Path directory) throws IOException;
    }

    /** Writes {@code text} as UTF-8 to {@code file} atomically. */
    public static void writeString(Path file, String text) throws IOException {
        writeBytes(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code bytes} to {@code file} atomically (temporary sibling, fsync, rename, fsync of the directory). */
    public static void writeBytes(Path file, byte[] bytes) throws IOException {
        Path target = file.toAbsolutePath().normalize();
        Path parent = target.getParent();
        Files.createDirectories(parent);
        Path tmp = parent.resolve("." + target.getFileName() + ".tmp-" + randomSuffix());
        boolean moved = false;
        try {
            Files.write(tmp, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            fsync(tmp);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
            fsyncDirectory(parent);
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * Creates directory {@code target} atomically: {@code writer} fills a temporary sibling directory, every
     * file in it is fsynced, and the directory is renamed to {@code target}. An existing empty directory is
     * replaced. An existing non-empty one is replaced only when {@code overwrite} is true (it is first renamed
     * aside, then deleted once the new one is in place); otherwise this fails before writing anything.
     * On failure the temporary directory is removed and {@code target} is untouched.
     */
    public static void writeDirectory(Path target, boolean overwrite, DirectoryWriter writer) throws IOException {
        Path dest = target.toAbsolutePath().normalize();
        Path parent = dest.getParent();
        if (parent == null) {
            throw new IOException("cannot write a model directory at the file-system root: " + dest);
        }
        Files.createDirectories(parent);
        boolean replaceExisting = false;
        if (Files.exists(dest)) {
            if (!Files.isDirectory(dest)) {
                throw new FileAlreadyExistsException(dest.toString(), null, "exists and is not a directory");
            }
            if (!isEmptyDirectory(dest)) {
                if (!overwrite) {
                    throw new FileAlreadyExistsException(dest.toString(), null,
                            "already exists and is not empty; choose a new directory or allow overwriting");
                }
                replaceExisting = true;
            }
        }
        Path tmp = parent.resolve("." + dest.getFileName() + ".tmp-" + randomSuffix());
        Files.createDirectory(tmp);
        boolean moved = false;
        try {
            writer.writeInto(tmp);
            fsyncTree(tmp);
            if (replaceExisting) {
                Path old = parent.resolve("." + dest.getFileName() + ".old-" + randomSuffix());
                Files.move(dest, old, StandardCopyOption.ATOMIC_MOVE);
                Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE);
                moved = true;
                fsyncDirectory(parent);
                deleteRecursively(old);
            } else {
                Files.deleteIfExists(dest); // an empty directory the caller created beforehand
                Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE);
                moved = true;
                fsyncDirectory(parent);
            }
        } finally {
            if (!moved) {
                deleteRecursively(tmp);
            }
        }
    }

    /** Flushes a file's content and metadata to disk. */
    public static void fsync(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** Flushes a directory's entries (new names, renames) to disk where the platform allows opening directories. */
    public static void fsyncDirectory(Path dir) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(dir, StandardOpenOption.READ);
        } catch (IOException | UnsupportedOperationException e) {
            return; // Some platforms cannot open a directory; the rename itself is still atomic there.
        }
        try (ch) {
            ch.force(true);
        }
    }

    /** Deletes a file or a directory tree; a missing path is not an error. */
    public static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<Path> all;
        try (Stream<Path> walk = Files.walk(path)) {
            all = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : all) {
            try {
                Files.deleteIfExists(p);
            } catch (DirectoryNotEmptyException | NoSuchFileException e) {
                throw new IOException("could not delete " + p + " while cleaning up " + path, e);
            }
        }
    }

    private static void fsyncTree(Path dir) throws IOException {
        List<Path> all;
        try (Stream<Path> walk = Files.walk(dir)) {
            all = walk.toList();
        }
        for (Path p : all) {
            if (Files.isRegularFile(p)) {
                fsync(p);
            }
        }
        for (Path p : all) {
            if (Files.isDirectory(p)) {
                fsyncDirectory(p);
            }
        }
    }

    private static boolean isEmptyDirectory(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    private static String randomSuffix() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }
}
