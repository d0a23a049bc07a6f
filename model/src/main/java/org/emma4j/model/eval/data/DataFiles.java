package org.emma4j.model.eval.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reading benchmark files: UTF-8, a leading byte-order mark ignored, LF or CRLF line ends. */
public final class DataFiles {
    private DataFiles() {
    }

    /** {@code file}, which must exist; otherwise a {@link MissingDataException} naming it as {@code what}. */
    public static Path require(Path file, String what) throws MissingDataException {
        if (!Files.isRegularFile(file)) {
            throw new MissingDataException(what, file);
        }
        return file;
    }

    /** The file's text. */
    public static String read(Path file) throws IOException {
        String s = Files.readString(file, StandardCharsets.UTF_8);
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }

    /** The file's lines without their line ends; no empty last line for a final newline. */
    public static List<String> lines(Path file) throws IOException {
        String text = read(file);
        List<String> out = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? text.length() : nl;
            String line = text.substring(start, end);
            out.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
            start = nl < 0 ? text.length() : nl + 1;
        }
        return out;
    }
}
