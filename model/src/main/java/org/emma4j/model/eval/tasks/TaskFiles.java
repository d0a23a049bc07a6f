package org.emma4j.model.eval.tasks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Finding languages from the files of a task's directory. */
final class TaskFiles {
    private TaskFiles() {
    }

    /**
     * The first group of {@code pattern} for every entry of {@code dir} whose name matches it (directories too
     * when {@code directories}); sorted, empty when the directory is missing.
     */
    static List<String> languages(Path dir, Pattern pattern, boolean directories) throws IOException {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                if (directories != Files.isDirectory(p)) {
                    continue;
                }
                Matcher m = pattern.matcher(p.getFileName().toString());
                if (m.matches()) {
                    out.add(m.group(1));
                }
            }
        }
        out.sort(null);
        return out;
    }
}
