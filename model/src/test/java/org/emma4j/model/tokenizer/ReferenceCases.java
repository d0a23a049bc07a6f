package org.emma4j.model.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The committed reference data: the test strings (llama3-test-strings.jsonl) and the ids that two
 * independent implementations of the real Llama 3 tokenizer gave for them (llama3-expected-ids.jsonl,
 * written by src/test/node/generate-expected.cjs).
 */
final class ReferenceCases {
    record TestString(String name, String text) {
    }

    record Expected(String name, SpecialTokenHandling handling, int[] ids) {
    }

    private ReferenceCases() {
    }

    static List<TestString> strings() {
        List<TestString> out = new ArrayList<>();
        for (JsonNode node : readJsonLines("/tokenizer/llama3-test-strings.jsonl")) {
            out.add(new TestString(node.get("name").asText(), node.get("text").asText()));
        }
        return out;
    }

    static Map<String, String> textByName() {
        Map<String, String> out = new LinkedHashMap<>();
        for (TestString s : strings()) {
            out.put(s.name(), s.text());
        }
        return out;
    }

    static List<Expected> expected() {
        List<Expected> out = new ArrayList<>();
        for (JsonNode node : readJsonLines("/tokenizer/llama3-expected-ids.jsonl")) {
            JsonNode ids = node.get("ids");
            int[] array = new int[ids.size()];
            for (int i = 0; i < array.length; i++) {
                array[i] = ids.get(i).asInt();
            }
            SpecialTokenHandling handling = switch (node.get("special").asText()) {
                case "parse" -> SpecialTokenHandling.PARSE;
                case "plain" -> SpecialTokenHandling.PLAIN;
                default -> throw new IllegalStateException("unknown special mode in " + node);
            };
            out.add(new Expected(node.get("name").asText(), handling, array));
        }
        return out;
    }

    private static List<JsonNode> readJsonLines(String resource) {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> out = new ArrayList<>();
        try (InputStream in = ReferenceCases.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank()) {
                    out.add(json.readTree(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
