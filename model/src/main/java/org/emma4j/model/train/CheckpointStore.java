package org.emma4j.model.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.emma4j.model.io.AtomicFiles;

/**
 * The checkpoints of a run, {@code OUT/checkpoints/step-00000200/} and so on. Each is written into a
 * temporary sibling, fsynced and renamed into place ({@link AtomicFiles#writeDirectory}), so a directory with a
 * final name is always complete; a kill mid-write leaves only a hidden {@code .step-*.tmp-*} directory, which
 * is ignored and cleaned up later. After each new checkpoint the {@code latest} file is replaced atomically
 * with its name, and only then are the oldest pruned, so at every moment the last good checkpoint exists.
 */
public final class CheckpointStore {
    /** Subdirectory of the output directory that holds the checkpoints. */
    public static final String DIRECTORY = "checkpoints";
    /** File naming the newest complete checkpoint (for people and scripts; resume scans for the highest step). */
    public static final String LATEST = "latest";

    private static final Pattern NAME = Pattern.compile("step-(\\d+)");

    private final Path root;

    public CheckpointStore(Path outDir) {
        this.root = outDir.resolve(DIRECTORY);
    }

    public Path root() {
        return root;
    }

    /** The directory name of the checkpoint after {@code step} steps. */
    public static String name(long step) {
        return String.format(java.util.Locale.ROOT, "step-%08d", step);
    }

    /** Whether {@code dir} is a finished checkpoint (its state file is written last, inside the atomic rename). */
    public static boolean isComplete(Path dir) {
        return Files.isRegularFile(dir.resolve(TrainerState.FILE));
    }

    /** The step of a checkpoint directory named step-N, or -1. */
    public static long stepOf(Path dir) {
        Matcher m = NAME.matcher(dir.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    /** Complete checkpoints, oldest first. */
    public List<Path> complete() throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<Path> found = new ArrayList<>();
        try (Stream<Path> entries = Files.list(root)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                if (Files.isDirectory(p) && stepOf(p) >= 0 && isComplete(p)) {
                    found.add(p);
                }
            }
        }
        found.sort(Comparator.comparingLong(CheckpointStore::stepOf));
        return found;
    }

    /** The complete checkpoint with the highest step. */
    public Optional<Path> latest() throws IOException {
        List<Path> all = complete();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.getLast());
    }

    /**
     * Writes the checkpoint of {@code step} atomically (replacing an older one of the same step), points
     * {@code latest} at it, then prunes to the newest {@code keepLast} (0: keep all) and removes leftovers of
     * interrupted writes.
     */
    public Path write(long step, int keepLast, AtomicFiles.DirectoryWriter contents) throws IOException {
        Path dir = root.resolve(name(step));
        Files.createDirectories(root);
        AtomicFiles.writeDirectory(dir, true, contents);
        AtomicFiles.writeString(root.resolve(LATEST), name(step) + "\n");
        prune(keepLast);
        return dir;
    }

    /** Deletes all but the newest {@code keepLast} complete checkpoints (0: none), and stale temporary directories. */
    public void prune(int keepLast) throws IOException {
        if (keepLast > 0) {
            List<Path> all = complete();
            for (int i = 0; i < all.size() - keepLast; i++) {
                AtomicFiles.deleteRecursively(all.get(i));
            }
        }
        removeInterruptedWrites();
    }

    /** Removes hidden {@code .step-*.tmp-*} / {@code .step-*.old-*} directories (and nested temporaries) left by a kill mid-write. */
    public void removeInterruptedWrites() throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        List<Path> stale = new ArrayList<>();
        try (Stream<Path> entries = Files.list(root)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                String n = p.getFileName().toString();
                if (n.startsWith(".") && n.contains("step-") && (n.contains(".tmp-") || n.contains(".old-"))) {
                    stale.add(p);
                }
            }
        }
        for (Path p : stale) {
            AtomicFiles.deleteRecursively(p);
        }
    }

    /**
     * The checkpoint {@code --resume DIR} means: DIR itself when it is a complete checkpoint, else the newest
     * complete checkpoint of the run whose output directory DIR is.
     */
    public static Path resolveResume(Path dir) throws IOException {
        if (isComplete(dir)) {
            return dir;
        }
        if (stepOf(dir) >= 0 && Files.isDirectory(dir)) {
            throw new IOException(dir + " is an incomplete checkpoint (no " + TrainerState.FILE + "); resume from the run directory to "
                    + "use its newest complete checkpoint");
        }
        CheckpointStore store = new CheckpointStore(dir);
        return store.latest().orElseThrow(() -> new java.nio.file.NoSuchFileException(dir.toString(), null,
                "nothing to resume: no complete checkpoint under " + store.root()));
    }
}
