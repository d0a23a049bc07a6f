package org.emma4j.model.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Language codes in the FLORES-200 style ({@code xxx_Xxxx}: ISO 639-3 language, ISO 15924 script) and their
 * English names. The built-in table holds the 204 FLORES-200 languages (resource
 * {@code flores200-languages.tsv}, taken from the FLORES-200 README); further names (for languages that
 * FLORES-200 lacks, such as most of the UDHR corpus) can be layered on top from a TSV file. A code with no
 * name anywhere is named by itself, so templates never fail on an exotic language.
 */
public final class LanguageNames {
    /** {@code xxx_Xxxx}: a lowercase ISO 639-3 code and a titlecase ISO 15924 script code. */
    public static final Pattern CODE_SHAPE = Pattern.compile("[a-z]{3}_[A-Z][a-z]{3}");

    private static final String FLORES_RESOURCE = "flores200-languages.tsv";

    private final Map<String, String> flores;
    private final Map<String, String> extra;

    private LanguageNames(Map<String, String> flores, Map<String, String> extra) {
        this.flores = flores;
        this.extra = extra;
    }

    /** The FLORES-200 table alone. */
    public static LanguageNames flores200() {
        try (InputStream in = LanguageNames.class.getResourceAsStream(FLORES_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + FLORES_RESOURCE + " is missing from the emma4j jar");
            }
            return new LanguageNames(Collections.unmodifiableMap(readTsv(in, FLORES_RESOURCE)), Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + FLORES_RESOURCE, e);
        }
    }

    /**
     * These names plus those of a {@code code<TAB>name} file (extra columns ignored, '#' comments);
     * FLORES-200 names win where both name a code.
     */
    public LanguageNames withNamesFrom(Path tsv) throws IOException {
        Map<String, String> merged = new LinkedHashMap<>(extra);
        try (InputStream in = Files.newInputStream(tsv)) {
            merged.putAll(readTsv(in, tsv.toString()));
        }
        return new LanguageNames(flores, Collections.unmodifiableMap(merged));
    }

    /** Whether {@code code} is one of the 204 FLORES-200 codes. */
    public boolean isFlores(String code) {
        return flores.containsKey(code);
    }

    /** The English name of {@code code}: FLORES-200's, else the extra table's, else the code itself. */
    public String nameOf(String code) {
        String name = flores.get(code);
        if (name == null) {
            name = extra.get(code);
        }
        return name == null ? code : name;
    }

    /** The FLORES-200 codes and names, in the README's order. */
    public Map<String, String> floresTable() {
        return flores;
    }

    private static Map<String, String> readTsv(InputStream in, String source) throws IOException {
        Map<String, String> names = new LinkedHashMap<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        int number = 0;
        while ((line = reader.readLine()) != null) {
            number++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] cols = line.split("\t", -1);
            if (cols.length < 2 || cols[0].isBlank() || cols[1].isBlank()) {
                throw new IllegalArgumentException(source + ":" + number + ": expected 'code<TAB>name', found '" + line + "'");
            }
            if (names.put(cols[0].strip(), cols[1].strip()) != null) {
                throw new IllegalArgumentException(source + ":" + number + ": code " + cols[0] + " is named twice");
            }
        }
        return names;
    }
}
