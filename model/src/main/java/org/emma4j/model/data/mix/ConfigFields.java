package org.emma4j.model.data.mix;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Typed, checked access to one YAML mapping, with messages that say where ({@code mix.yaml: sources[1]}),
 * which field, what was expected and what was found. Unknown fields are errors (a misspelt option must not
 * be ignored silently).
 */
final class ConfigFields {
    private final JsonNode node;
    private final String where;

    ConfigFields(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(where + ": expected a mapping of fields, found " + describe(node));
        }
        this.node = node;
        this.where = where;
    }

    String where() {
        return where;
    }

    boolean has(String field) {
        JsonNode v = node.get(field);
        return v != null && !v.isNull();
    }

    void checkKnown(Set<String> known) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new IllegalArgumentException(where + ": unknown field '" + name + "' (known: "
                        + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
    }

    String string(String field, String fallback) {
        if (!has(field)) {
            return fallback;
        }
        JsonNode v = node.get(field);
        if (!v.isTextual()) {
            throw wrongType(field, "a string", v);
        }
        return v.textValue();
    }

    String requiredString(String field) {
        String v = string(field, null);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(where + ": missing required field '" + field + "'");
        }
        return v;
    }

    Double number(String field, Double fallback) {
        if (!has(field)) {
            return fallback;
        }
        JsonNode v = node.get(field);
        if (!v.isNumber()) {
            throw wrongType(field, "a number", v);
        }
        return v.doubleValue();
    }

    Long integer(String field, Long fallback) {
        if (!has(field)) {
            return fallback;
        }
        JsonNode v = node.get(field);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw wrongType(field, "a whole number", v);
        }
        return v.longValue();
    }

    boolean bool(String field, boolean fallback) {
        if (!has(field)) {
            return fallback;
        }
        JsonNode v = node.get(field);
        if (!v.isBoolean()) {
            throw wrongType(field, "true or false", v);
        }
        return v.booleanValue();
    }

    List<String> stringList(String field) {
        if (!has(field)) {
            return null;
        }
        JsonNode v = node.get(field);
        List<String> out = new ArrayList<>();
        if (v.isTextual()) {
            out.add(v.textValue());
            return out;
        }
        if (!v.isArray()) {
            throw wrongType(field, "a list of strings", v);
        }
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual()) {
                throw new IllegalArgumentException(where + ": " + field + "[" + i + "] must be a string, found " + describe(v.get(i)));
            }
            out.add(v.get(i).textValue());
        }
        return out;
    }

    ConfigFields child(String field) {
        return has(field) ? new ConfigFields(node.get(field), where + ": " + field) : null;
    }

    List<ConfigFields> children(String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isArray()) {
            throw new IllegalArgumentException(where + ": '" + field + "' must be a list, found " + describe(v));
        }
        List<ConfigFields> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            out.add(new ConfigFields(v.get(i), where + ": " + field + "[" + i + "]"));
        }
        return out;
    }

    /** An enum field written as one of its keys. */
    <E extends Enum<E>> E choice(String field, E[] values, Function<E, String> key, E fallback) {
        String text = string(field, null);
        if (text == null) {
            return fallback;
        }
        List<String> keys = new ArrayList<>();
        for (E e : values) {
            if (key.apply(e).equals(text)) {
                return e;
            }
            keys.add(key.apply(e));
        }
        throw new IllegalArgumentException(where + ": " + field + " must be one of " + String.join(", ", keys)
                + ", found '" + text + "'");
    }

    IllegalArgumentException invalid(String field, String message) {
        return new IllegalArgumentException(where + ": " + field + " " + message);
    }

    private IllegalArgumentException wrongType(String field, String expected, JsonNode found) {
        return new IllegalArgumentException(where + ": " + field + " must be " + expected + ", found " + describe(found));
    }

    static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        String text = node.toString();
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " "
                + (text.length() > 60 ? text.substring(0, 60) + "..." : text);
    }
}
