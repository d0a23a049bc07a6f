package org.emma4j.model.eval.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.emma4j.model.eval.data.DataFormatException;
import org.emma4j.model.eval.data.MissingDataException;
import org.emma4j.model.eval.tasks.LanguageResult;

/**
 * A run of {@code emma4j eval}: which model, with which settings, and every task's results. Written as JSON:
 *
 * <pre>{@code
 * {"format": "emma4j-eval-results/1", "model": "...", "created": "2025-01-01T00:00:00Z",
 *  "settings": {"limit": 0, "shots": null, "seed": 1234, ...},
 *  "tasks": {"xcopa": {"average": {"acc": 0.55, "acc_norm": 0.52},
 *                      "languages": {"et": {"examples": 500, "metrics": {"acc": 0.55, "acc_norm": 0.52}}}}}}
 * }</pre>
 */
public record EvalResults(String model, String created, Map<String, Object> settings, List<TaskResults> tasks) {
    public static final String FORMAT = "emma4j-eval-results/1";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public EvalResults {
        settings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        tasks = List.copyOf(tasks);
    }

    public String toJson() throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("model", model);
        root.put("created", created);
        root.set("settings", JSON.valueToTree(settings));
        ObjectNode tasksNode = root.putObject("tasks");
        for (TaskResults t : tasks) {
            ObjectNode tn = tasksNode.putObject(t.task());
            tn.set("average", JSON.valueToTree(t.average()));
            ObjectNode langs = tn.putObject("languages");
            for (LanguageResult r : t.languages()) {
                ObjectNode ln = langs.putObject(r.language());
                ln.put("examples", r.examples());
                ln.set("metrics", JSON.valueToTree(r.metrics()));
            }
        }
        return JSON.writeValueAsString(root) + "\n";
    }

    public void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, toJson());
    }

    public static EvalResults read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new MissingDataException("results file", file);
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new DataFormatException(file + ":" + e.getLocation().getLineNr(), "not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (!root.isObject() || !FORMAT.equals(root.path("format").asText())) {
            throw new DataFormatException(file.toString(), "not an emma4j results file (expected \"format\": \"" + FORMAT + "\")");
        }
        List<TaskResults> tasks = new ArrayList<>();
        for (Map.Entry<String, JsonNode> t : root.path("tasks").properties()) {
            List<LanguageResult> langs = new ArrayList<>();
            for (Map.Entry<String, JsonNode> l : t.getValue().path("languages").properties()) {
                langs.add(new LanguageResult(l.getKey(), l.getValue().path("examples").asInt(), numbers(l.getValue().path("metrics"))));
            }
            tasks.add(new TaskResults(t.getKey(), langs, numbers(t.getValue().path("average"))));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> settings = JSON.convertValue(root.path("settings"), Map.class);
        return new EvalResults(root.path("model").asText(), root.path("created").asText(), settings == null ? Map.of() : settings, tasks);
    }

    private static Map<String, Double> numbers(JsonNode node) {
        Map<String, Double> m = new LinkedHashMap<>();
        node.properties().forEach(e -> m.put(e.getKey(), e.getValue().asDouble()));
        return m;
    }

    public TaskResults task(String name) {
        return tasks.stream().filter(t -> t.task().equals(name)).findFirst().orElse(null);
    }
}
