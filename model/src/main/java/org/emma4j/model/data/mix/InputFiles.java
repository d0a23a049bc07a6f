package org.emma4j.model.data.mix;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Expands a source's {@code paths}: plain paths and globs ({@code *}, {@code ?}, {@code [..]}, {@code {a,b}},
 * {@code **} across directories), relative to the config file's directory. Each pattern's matches are sorted
 * by path so that the reading order, and hence the output, never depends on the file system's listing order.
 */
final class InputFiles {
    private InputFiles() {
    }

    static List<Path> expand(Path baseDir, List<String> patterns, String where) throws IOException {
        Set<Path> files = new LinkedHashSet<>();
        for (String pattern : patterns) {
            files.addAll(expandOne(baseDir, pattern, where));
        }
        return new ArrayList<>(files);
    }

    private static List<Path> expandOne(Path baseDir, String pattern, String where) throws IOException {
        String unixPattern = pattern.replace('\\', '/');
        int firstGlob = firstGlobChar(unixPattern);
        if (firstGlob < 0) {
            Path file = baseDir.resolve(pattern).normalize();
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(where + ": paths: no such file " + file);
            }
            return List.of(file);
        }
        int slash = unixPattern.lastIndexOf('/', firstGlob);
        Path root = baseDir.resolve(slash < 0 ? "." : unixPattern.substring(0, slash)).normalize();
        String rest = unixPattern.substring(slash + 1);
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException(where + ": paths: '" + pattern + "': no directory " + root);
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + rest);
        int depth = rest.contains("**") ? Integer.MAX_VALUE : (int) rest.chars().filter(c -> c == '/').count() + 1;
        List<Path> matches;
        try (Stream<Path> walk = Files.walk(root, depth)) {
            matches = walk.filter(Files::isRegularFile)
                    .filter(p -> matcher.matches(root.relativize(p)))
                    .sorted()
                    .toList();
        }
        if (matches.isEmpty()) {
            throw new IllegalArgumentException(where + ": paths: '" + pattern + "' matches no file under " + root);
        }
        return matches;
    }

    private static int firstGlobChar(String pattern) {
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == '{') {
                return i;
            }
        }
        return -1;
    }
}
