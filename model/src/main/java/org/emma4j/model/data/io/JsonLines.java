package org.emma4j.model.data.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.emma4j.model.data.BadInputException;
import org.emma4j.model.data.BadInputReason;

/**
 * Parsing one JSON Lines line strictly (one object, nothing after it, no key twice) and reading its
 * fields, every failure a {@link BadInputException} naming the file and line. Thread-safe.
 */
public final class JsonLines {
    private final ObjectMapper mapper = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** The line as a JSON object. */
    public JsonNode parseObject(String line, String file, long lineNumber) {
        if (line.isBlank()) {
            throw new BadInputException(file, lineNumber, BadInputReason.MALFORMED_JSON, "empty line (each line must hold one JSON object)");
        }
        JsonNode node;
        try {
            node = mapper.readTree(line);
        } catch (JsonProcessingException e) {
            throw new BadInputException(file, lineNumber, BadInputReason.MALFORMED_JSON, "not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new BadInputException(file, lineNumber, BadInputReason.MALFORMED_JSON, "expected a JSON object, found "
                    + (node == null ? "nothing" : node.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
        }
        return node;
    }

    /** A string field; absent, null or not a string is {@link BadInputReason#MISSING_FIELD}. */
    public static String stringField(JsonNode object, String field, String file, long line) {
        JsonNode v = object.get(field);
        if (v == null || v.isNull()) {
            throw new BadInputException(file, line, BadInputReason.MISSING_FIELD, "no field '" + field + "'");
        }
        if (!v.isTextual()) {
            throw new BadInputException(file, line, BadInputReason.MISSING_FIELD, "field '" + field + "' is not a string but "
                    + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        return v.textValue();
    }

    /**
     * A text field that must hold real text: not blank (EMPTY_TEXT), and no unpaired surrogate, which a
     * JSON escape can smuggle in but which is not Unicode (INVALID_UTF8).
     */
    public static String textField(JsonNode object, String field, String file, long line) {
        String text = stringField(object, field, file, line);
        checkText(text, field, file, line);
        return text;
    }

    /** The checks of {@link #textField} on a text from anywhere. */
    public static void checkText(String text, String field, String file, long line) {
        if (text.isBlank()) {
            throw new BadInputException(file, line, BadInputReason.EMPTY_TEXT, "field '" + field + "' is empty");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new BadInputException(file, line, BadInputReason.INVALID_UTF8, "field '" + field
                        + "' holds an unpaired surrogate U+" + String.format("%04X", (int) c) + " at character " + i);
            }
        }
    }

    /** A non-empty array of token ids in {@code [0, vocabSize)}. */
    public static int[] idsField(JsonNode object, String field, int vocabSize, String file, long line) {
        JsonNode v = object.get(field);
        if (v == null || !v.isArray()) {
            throw new BadInputException(file, line, BadInputReason.MISSING_FIELD, "no array field '" + field + "'");
        }
        if (v.isEmpty()) {
            throw new BadInputException(file, line, BadInputReason.EMPTY_TEXT, "field '" + field + "' is an empty array");
        }
        int[] ids = new int[v.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode id = v.get(i);
            if (!id.isIntegralNumber() || !id.canConvertToInt()) {
                throw new BadInputException(file, line, BadInputReason.MISSING_FIELD, field + "[" + i + "] is not an integer: " + id);
            }
            ids[i] = id.intValue();
            if (ids[i] < 0 || ids[i] >= vocabSize) {
                throw new BadInputException(file, line, BadInputReason.BAD_TOKEN_ID, field + "[" + i + "] = " + ids[i]
                        + " is outside the vocabulary (0.." + (vocabSize - 1) + ")");
            }
        }
        return ids;
    }
}
