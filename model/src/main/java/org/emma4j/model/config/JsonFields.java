package org.emma4j.model.config;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Typed reads of one JSON object's fields, failing with a {@link ConfigFormatException} that names the
 * source file, the field (with its parent path, e.g. {@code rope_scaling.factor}) and the value found.
 * A field set to JSON {@code null} counts as absent, as Hugging Face treats it.
 */
final class JsonFields {
    private final JsonNode object;
    private final String source;
    private final String prefix;

    JsonFields(JsonNode object, String source, String prefix) {
        this.object = object;
        this.source = source;
        this.prefix = prefix;
    }

    String source() {
        return source;
    }

    /** The qualified name of this object ("rope_scaling"), empty for the root. */
    String name() {
        return prefix;
    }

    /** The qualified name of a field for messages. */
    String path(String field) {
        return prefix.isEmpty() ? field : prefix + "." + field;
    }

    boolean has(String field) {
        JsonNode n = object.get(field);
        return n != null && !n.isNull();
    }

    JsonNode node(String field) {
        JsonNode n = object.get(field);
        return n == null || n.isNull() ? null : n;
    }

    ConfigFormatException error(String field, String problem) {
        return new ConfigFormatException(source + ": field '" + path(field) + "' " + problem);
    }

    int requiredInt(String field) throws ConfigFormatException {
        JsonNode n = node(field);
        if (n == null) {
            throw error(field, "is missing");
        }
        return asInt(field, n);
    }

    int optionalInt(String field, int fallback) throws ConfigFormatException {
        JsonNode n = node(field);
        return n == null ? fallback : asInt(field, n);
    }

    Integer optionalInteger(String field) throws ConfigFormatException {
        JsonNode n = node(field);
        return n == null ? null : asInt(field, n);
    }

    int asInt(String field, JsonNode n) throws ConfigFormatException {
        // Accept 4096 and 4096.0 (some tools write floats), reject 4096.5, strings and overflow.
        if (n.isNumber() && (n.isIntegralNumber() || n.asDouble() == Math.rint(n.asDouble()))) {
            double d = n.asDouble();
            if (n.isIntegralNumber() ? n.canConvertToInt() : Math.abs(d) <= Integer.MAX_VALUE) {
                return n.isIntegralNumber() ? n.intValue() : (int) d;
            }
            throw error(field, "must fit in a 32-bit integer, found " + n);
        }
        throw error(field, "must be an integer, found " + n);
    }

    double requiredDouble(String field) throws ConfigFormatException {
        JsonNode n = node(field);
        if (n == null) {
            throw error(field, "is missing");
        }
        return asDouble(field, n);
    }

    double optionalDouble(String field, double fallback) throws ConfigFormatException {
        JsonNode n = node(field);
        return n == null ? fallback : asDouble(field, n);
    }

    private double asDouble(String field, JsonNode n) throws ConfigFormatException {
        if (!n.isNumber()) {
            throw error(field, "must be a number, found " + n);
        }
        return n.doubleValue();
    }

    boolean optionalBoolean(String field, boolean fallback) throws ConfigFormatException {
        JsonNode n = node(field);
        if (n == null) {
            return fallback;
        }
        if (!n.isBoolean()) {
            throw error(field, "must be true or false, found " + n);
        }
        return n.booleanValue();
    }

    String optionalString(String field, String fallback) throws ConfigFormatException {
        JsonNode n = node(field);
        if (n == null) {
            return fallback;
        }
        if (!n.isTextual()) {
            throw error(field, "must be a string, found " + n);
        }
        return n.textValue();
    }

    /** The nested object at {@code field}, or null when absent; fails when it is not an object. */
    JsonFields optionalObject(String field) throws ConfigFormatException {
        JsonNode n = node(field);
        if (n == null) {
            return null;
        }
        if (!n.isObject()) {
            throw error(field, "must be a JSON object, found " + n);
        }
        return new JsonFields(n, source, path(field));
    }
}
