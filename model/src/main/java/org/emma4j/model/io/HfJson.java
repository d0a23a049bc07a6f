package org.emma4j.model.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * JSON the way Hugging Face files use it. Reading rejects duplicate keys (a checkpoint header or config
 * that names a field twice is corrupt, and silently keeping one of them would hide it). Writing matches
 * Python's {@code json.dumps(obj, indent=2)}: two-space indents, {@code "key": value}, one array element per
 * line, and a final newline; callers insert keys in sorted order where Hugging Face sorts them.
 */
public final class HfJson {
    private HfJson() {
    }

    /** A mapper that fails on duplicate object keys. Cheap to create; not shared, so nothing global is mutable. */
    public static ObjectMapper strictMapper() {
        return JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
    }

    /** Pretty-prints like Python's {@code json.dumps(indent=2)} followed by a newline. */
    public static String pretty(JsonNode node) {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(
                Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER));
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        printer.indentArraysWith(indenter);
        printer.indentObjectsWith(indenter);
        ObjectWriter writer = new ObjectMapper().writer(printer);
        try {
            return writer.writeValueAsString(node) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a JSON tree", e);
        }
    }

    /** Compact JSON with no whitespace (safetensors headers). */
    public static String compact(JsonNode node) {
        try {
            return new ObjectMapper().writeValueAsString(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a JSON tree", e);
        }
    }
}
