package org.emma4j.model.eval.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Tab- or comma-separated files, with or without a header line. With {@code quoted}, a field that starts with
 * a double quote runs to the closing quote ("" inside is one quote, and the field may span lines), and
 * characters after the closing quote are kept, as pandas' lenient reader does; without it fields are split
 * on the separator alone (XNLI's and MGSM's raw TSV files).
 */
public final class DelimitedRecords {
    private DelimitedRecords() {
    }

    /**
     * @param columns the column names when the file has no header line, or null to read them from the first line
     */
    public static List<DataRecord> read(Path file, char separator, boolean quoted, List<String> columns) throws IOException {
        String text = DataFiles.read(file);
        List<Row> rows = quoted ? splitQuoted(text, separator) : splitPlain(text, separator);
        List<String> names = columns;
        int first = 0;
        if (names == null) {
            if (rows.isEmpty()) {
                throw new DataFormatException(file + ":1", "empty file; expected a header line");
            }
            names = rows.get(0).fields;
            first = 1;
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            index.put(names.get(i).strip(), i);
        }
        List<DataRecord> out = new ArrayList<>();
        for (int r = first; r < rows.size(); r++) {
            Row row = rows.get(r);
            String location = file + ":" + row.line;
            if (row.fields.size() != names.size()) {
                throw new DataFormatException(location, "expected " + names.size() + " " + (separator == '\t' ? "tab" : "comma")
                        + "-separated fields " + names + ", found " + row.fields.size());
            }
            out.add(new Fields(index, names, row.fields, location));
        }
        return out;
    }

    private record Row(List<String> fields, int line) {
    }

    private static List<Row> splitPlain(String text, char sep) {
        List<Row> rows = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            if (line.isEmpty()) {
                continue;
            }
            List<String> fields = new ArrayList<>();
            int start = 0;
            for (int j = 0; j <= line.length(); j++) {
                if (j == line.length() || line.charAt(j) == sep) {
                    fields.add(line.substring(start, j));
                    start = j + 1;
                }
            }
            rows.add(new Row(fields, i + 1));
        }
        return rows;
    }

    private static List<Row> splitQuoted(String text, char sep) {
        List<Row> rows = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int line = 1;
        int rowLine = 1;
        boolean inQuotes = false;
        boolean atFieldStart = true;
        boolean rowHasContent = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inQuotes) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        inQuotes = false;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                }
                continue;
            }
            if (c == '"' && atFieldStart) {
                inQuotes = true;
                atFieldStart = false;
                rowHasContent = true;
            } else if (c == sep) {
                fields.add(field.toString());
                field.setLength(0);
                atFieldStart = true;
                rowHasContent = true;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                if (rowHasContent || !field.isEmpty()) {
                    fields.add(field.toString());
                    rows.add(new Row(fields, rowLine));
                }
                fields = new ArrayList<>();
                field.setLength(0);
                atFieldStart = true;
                rowHasContent = false;
                line++;
                rowLine = line;
            } else {
                field.append(c);
                atFieldStart = false;
                rowHasContent = true;
            }
        }
        if (rowHasContent || !field.isEmpty()) {
            fields.add(field.toString());
            rows.add(new Row(fields, rowLine));
        }
        return rows;
    }

    private record Fields(Map<String, Integer> index, List<String> names, List<String> values, String location) implements DataRecord {
        @Override
        public boolean has(String field) {
            return index.containsKey(field);
        }

        @Override
        public String text(String field) throws DataFormatException {
            Integer i = index.get(field);
            if (i == null) {
                throw new DataFormatException(location, "no column '" + field + "' (columns: " + names + ")");
            }
            return values.get(i);
        }

        @Override
        public String textOr(String field, String fallback) throws DataFormatException {
            return has(field) && !text(field).isEmpty() ? text(field) : fallback;
        }
    }
}
