package org.emma4j.model.train;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads a {@link TrainConfig} from YAML, applies {@code --set key.path=value} overrides, and reports every
 * problem with where it comes from: the file or the override, the dotted key, what was expected and what was
 * found. Unknown keys are errors that list the valid keys at that level (a misspelt option must never be
 * silently ignored). Override values are parsed as YAML scalars and then typed by the field they set.
 */
public final class TrainConfigReader {
    private TrainConfigReader() {
    }

    /** Reads {@code file} and applies {@code overrides} ("key.path=value"). */
    public static TrainConfig read(Path file, List<String> overrides) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString(), null, "training config not found");
        }
        return parse(Files.readString(file), file.toString(), overrides);
    }

    /** Parses YAML text; {@code where} names its origin in messages. */
    public static TrainConfig parse(String yaml, String where, List<String> overrides) {
        YAMLMapper mapper = mapper();
        JsonNode tree;
        try {
            tree = mapper.readTree(yaml);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(where + ": not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ")" : ""), e);
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            tree = JsonNodeFactory.instance.objectNode();
        }
        if (!tree.isObject()) {
            throw new IllegalArgumentException(where + ": a training config is a mapping of fields (model:, data:, ...), found "
                    + tree.getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
        }
        Map<String, String> overridden = new LinkedHashMap<>();
        for (String o : overrides) {
            applyOverride((ObjectNode) tree, o, mapper);
            overridden.put(o.substring(0, o.indexOf('=')).trim(), o);
        }
        return bind(mapper, tree, where, overridden);
    }

    /** The config as YAML (every field resolved), as saved into checkpoints. */
    public static String toYaml(TrainConfig config) {
        try {
            return mapper().writeValueAsString(config);
        } catch (JacksonException e) {
            throw new IllegalStateException("cannot write the training config as YAML", e);
        }
    }

    private static YAMLMapper mapper() {
        return YAMLMapper.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .build();
    }

    /** Sets one "a.b.c=value" into the tree, creating mappings on the way. */
    static void applyOverride(ObjectNode root, String override, YAMLMapper mapper) {
        int eq = override.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("--set " + override + ": expected key.path=value, e.g. --set optimizer.lr=1e-4");
        }
        String key = override.substring(0, eq).trim();
        String text = override.substring(eq + 1).trim();
        String[] parts = key.split("\\.", -1);
        ObjectNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            if (parts[i].isEmpty()) {
                throw new IllegalArgumentException("--set " + override + ": '" + key + "' has an empty key segment");
            }
            JsonNode child = node.get(parts[i]);
            if (child == null || child.isNull()) {
                node = node.putObject(parts[i]);
            } else if (child.isObject()) {
                node = (ObjectNode) child;
            } else {
                throw new IllegalArgumentException("--set " + override + ": '" + String.join(".", java.util.Arrays.copyOf(parts, i + 1))
                        + "' is a value, not a section with keys");
            }
        }
        String last = parts[parts.length - 1];
        if (last.isEmpty()) {
            throw new IllegalArgumentException("--set " + override + ": '" + key + "' has an empty key segment");
        }
        node.set(last, scalar(text, mapper));
    }

    private static JsonNode scalar(String text, YAMLMapper mapper) {
        if (text.isEmpty()) {
            return JsonNodeFactory.instance.nullNode();
        }
        try {
            JsonNode v = mapper.readTree(text);
            return v == null || v.isMissingNode() ? TextNode.valueOf(text) : v;
        } catch (JacksonException e) {
            return TextNode.valueOf(text); // not YAML on its own (a path with ": " in it, say): take it as a string
        }
    }

    private static TrainConfig bind(YAMLMapper mapper, JsonNode tree, String where, Map<String, String> overridden) {
        try {
            return mapper.treeToValue(tree, TrainConfig.class);
        } catch (JsonMappingException e) {
            String path = dottedPath(e);
            String origin = originOf(path, where, overridden);
            throw new IllegalArgumentException(origin + ": " + explain(e, path, tree), e);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(where + ": " + e.getOriginalMessage(), e);
        }
    }

    private static String explain(JsonMappingException e, String path, JsonNode tree) {
        if (e instanceof UnrecognizedPropertyException u) {
            TreeSet<String> valid = new TreeSet<>();
            for (Object id : u.getKnownPropertyIds()) {
                valid.add(id.toString());
            }
            String parent = path.contains(".") ? path.substring(0, path.lastIndexOf('.')) : "";
            return "unknown key '" + path + "'; valid keys " + (parent.isEmpty() ? "at the top level" : "in " + parent) + ": "
                    + String.join(", ", valid);
        }
        if (e instanceof ValueInstantiationException && e.getCause() instanceof IllegalArgumentException iae) {
            return iae.getMessage();
        }
        if (e instanceof InvalidFormatException || e instanceof MismatchedInputException) {
            Class<?> type = ((MismatchedInputException) e).getTargetType();
            return path + ": expected " + describeType(type) + ", found " + describeNode(at(tree, path));
        }
        return e.getOriginalMessage();
    }

    private static String originOf(String path, String where, Map<String, String> overridden) {
        for (Map.Entry<String, String> o : overridden.entrySet()) {
            if (!path.isEmpty() && (o.getKey().equals(path) || o.getKey().startsWith(path + ".") || path.startsWith(o.getKey() + "."))) {
                return "--set " + o.getValue();
            }
        }
        return overridden.isEmpty() ? where : where + " (with --set overrides)";
    }

    private static String dottedPath(JsonMappingException e) {
        List<String> parts = new ArrayList<>();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                parts.add(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                parts.add("[" + r.getIndex() + "]");
            }
        }
        return String.join(".", parts);
    }

    private static JsonNode at(JsonNode tree, String path) {
        JsonNode n = tree;
        for (String p : path.split("\\.")) {
            if (n == null || p.isEmpty()) {
                break;
            }
            n = n.get(p);
        }
        return n;
    }

    private static String describeType(Class<?> type) {
        if (type == null) {
            return "another kind of value";
        }
        if (type == Integer.class || type == Long.class || type == int.class || type == long.class) {
            return "an integer";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        return "a mapping of keys"; // the sections are records
    }

    private static String describeNode(JsonNode n) {
        if (n == null) {
            return "nothing";
        }
        if (n.isTextual()) {
            return "'" + n.textValue() + "'";
        }
        if (n.isContainerNode()) {
            return n.isArray() ? "a list " + n : "a mapping " + n;
        }
        return n.toString();
    }
}
