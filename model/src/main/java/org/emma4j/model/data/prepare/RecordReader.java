package org.emma4j.model.data.prepare;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.emma4j.model.data.io.ByteLineReader;
import org.emma4j.model.data.io.CompressedInput;
import org.emma4j.model.data.mix.MixConfig;
import org.emma4j.model.data.mix.SourceConfig;
import org.emma4j.model.data.mix.SourceType;
import org.emma4j.model.data.mix.TextUnit;

/**
 * Reads every source's files in config order (files sorted, lines in order) and hands out raw records:
 * JSON Lines sources one per line, text sources one per document ({@link TextUnit}). No decoding or
 * parsing happens here; that is the tokenizer threads' work.
 */
final class RecordReader {
    /** A file name that starts with a FLORES-style code: fra_Latn.txt, fra_Latn-part2.txt.gz. */
    private static final Pattern LANG_PREFIX = Pattern.compile("^([a-z]{3}_[A-Z][a-z]{3})(?![A-Za-z]).*");

    @FunctionalInterface
    interface Sink {
        void accept(RawRecord record) throws InterruptedException;
    }

    private final MixConfig config;
    private final Path baseDir;
    private final AtomicLong bytesRead;

    RecordReader(MixConfig config, Path baseDir, AtomicLong bytesRead) {
        this.config = config;
        this.baseDir = baseDir;
        this.bytesRead = bytesRead;
    }

    /** A file's name for stats and messages: relative to the config's directory when inside it. */
    static String label(Path baseDir, Path file) {
        Path abs = file.toAbsolutePath().normalize();
        Path rel = abs.startsWith(baseDir) ? baseDir.relativize(abs) : abs;
        return rel.toString().replace('\\', '/');
    }

    void readAll(Sink sink) throws IOException, InterruptedException {
        for (int s = 0; s < config.sources().size(); s++) {
            SourceConfig source = config.sources().get(s);
            long ordinal = 0;
            for (Path file : source.files()) {
                String name = label(baseDir, file);
                if (source.type() == SourceType.TEXT) {
                    ordinal = readText(s, source, file, name, ordinal, sink);
                } else {
                    ordinal = readLines(s, file, name, ordinal, sink);
                }
            }
        }
    }

    private long readLines(int s, Path file, String name, long ordinal, Sink sink) throws IOException, InterruptedException {
        try (ByteLineReader lines = new ByteLineReader(CompressedInput.open(file, bytesRead))) {
            while (lines.next()) {
                sink.accept(new RawRecord(s, name, lines.lineNumber(), lines.copy(), ordinal++, null));
            }
        }
        return ordinal;
    }

    private long readText(int s, SourceConfig source, Path file, String name, long ordinal, Sink sink)
            throws IOException, InterruptedException {
        String lang = source.lang();
        if (lang == null) {
            Matcher m = LANG_PREFIX.matcher(file.getFileName().toString());
            if (!m.matches()) {
                throw new IllegalArgumentException(name + ": cannot tell the language of this text file: name it after its"
                        + " language code (such as fra_Latn.txt) or set 'lang' on source " + source.name());
            }
            lang = m.group(1);
        }
        TextUnit unit = source.documentPer();
        ByteArrayOutputStream doc = new ByteArrayOutputStream();
        long firstLine = 0;
        long emitted = 0;
        try (ByteLineReader lines = new ByteLineReader(CompressedInput.open(file, bytesRead))) {
            while (lines.next()) {
                boolean blank = isBlank(lines.bytes(), lines.length());
                if (unit == TextUnit.FILE || !blank) {
                    if (doc.size() > 0 || (unit == TextUnit.FILE && firstLine > 0)) {
                        doc.write('\n');
                    }
                    if (firstLine == 0) {
                        firstLine = lines.lineNumber();
                    }
                    doc.write(lines.bytes(), 0, lines.length());
                }
                boolean ends = switch (unit) {
                    case LINE -> !blank;
                    case PARAGRAPH -> blank && firstLine > 0;
                    case FILE -> false;
                };
                if (ends) {
                    sink.accept(new RawRecord(s, name, firstLine, doc.toByteArray(), ordinal++, lang));
                    emitted++;
                    doc.reset();
                    firstLine = 0;
                }
            }
        }
        if (firstLine > 0 || emitted == 0) {
            // The last document, or an empty file, which is reported (as empty text) rather than skipped.
            sink.accept(new RawRecord(s, name, Math.max(1, firstLine), doc.toByteArray(), ordinal++, lang));
        }
        return ordinal;
    }

    private static boolean isBlank(byte[] bytes, int length) {
        for (int i = 0; i < length; i++) {
            byte b = bytes[i];
            if (b != ' ' && b != '\t' && b != '\r' && b != '\f' && b != 0x0B) {
                return false;
            }
        }
        return true;
    }
}
