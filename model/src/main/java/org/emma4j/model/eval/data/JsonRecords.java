package org.emma4j.model.eval.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** JSON Lines files (one object per line; blank lines skipped) and JSON files holding an array of objects. */
public final class JsonRecords {
    private JsonRecords() {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    public static List<DataRecord> readLines(Path file) throws IOException {
        List<String> lines = DataFiles.lines(file);
        List<DataRecord> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String location = file + ":" + (i + 1);
            JsonNode node;
            try {
                node = JSON.readTree(lines.get(i));
            } catch (JsonProcessingException e) {
                throw new DataFormatException(location, "not valid JSON (" + e.getOriginalMessage() + ")");
            }
            if (!node.isObject()) {
                throw new DataFormatException(location, "expected a JSON object, found " + node.getNodeType().name().toLowerCase());
            }
            out.add(new JsonRecord(node, location));
        }
        return out;
    }

    public static List<DataRecord> readArray(Path file) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(DataFiles.read(file));
        } catch (JsonProcessingException e) {
            throw new DataFormatException(file + ":" + e.getLocation().getLineNr(), "not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (!root.isArray()) {
            throw new DataFormatException(file.toString(), "expected a JSON array of objects");
        }
        List<DataRecord> out = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            String location = file + ": element " + (i + 1);
            if (!root.get(i).isObject()) {
                throw new DataFormatException(location, "expected a JSON object");
            }
            out.add(new JsonRecord(root.get(i), location));
        }
        return out;
    }

    private record JsonRecord(JsonNode node, String location) implements DataRecord {
        @Override
        public boolean has(String field) {
            return node.hasNonNull(field);
        }

        @Override
        public String text(String field) throws DataFormatException {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                throw new DataFormatException(location, "missing field '" + field + "'");
            }
            if (v.isContainerNode()) {
                throw new DataFormatException(location, "field '" + field + "' should be text, found " + v.getNodeType().name().toLowerCase());
            }
            return v.asText();
        }

        @Override
        public String textOr(String field, String fallback) throws DataFormatException {
            return has(field) && !node.get(field).asText().isEmpty() ? text(field) : fallback;
        }
    }
}
