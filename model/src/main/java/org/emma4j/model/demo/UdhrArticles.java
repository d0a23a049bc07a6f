package org.emma4j.model.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.emma4j.model.data.io.CompressedInput;

/**
 * The articles of one split of the bundled UDHR corpus's monolingual file ({@code mono/train.jsonl.zst} or
 * {@code mono/heldout.jsonl.zst}), for a few languages: language, then article number, then its text.
 */
record UdhrArticles(Map<String, TreeMap<Integer, String>> byLanguage) {

    /** Reads the articles of {@code languages} from a monolingual JSON Lines file (.zst or plain). */
    static UdhrArticles read(Path file, Set<String> languages) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString(), null, "UDHR corpus file not found (see data/udhr/README.md)");
        }
        ObjectMapper json = new ObjectMapper();
        Map<String, TreeMap<Integer, String>> out = new LinkedHashMap<>();
        for (String l : languages) {
            out.put(l, new TreeMap<>());
        }
        try (BufferedReader r = new BufferedReader(new InputStreamReader(CompressedInput.open(file), StandardCharsets.UTF_8))) {
            String line;
            long n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode o = json.readTree(line);
                String lang = o.path("lang").asText(null);
                if (lang == null || !o.has("article") || !o.has("text")) {
                    throw new IllegalArgumentException(file + ":" + n + ": expected fields lang, article and text");
                }
                TreeMap<Integer, String> articles = out.get(lang);
                if (articles != null) {
                    articles.put(o.get("article").asInt(), o.get("text").asText());
                }
            }
        }
        for (var e : out.entrySet()) {
            if (e.getValue().isEmpty()) {
                throw new IllegalArgumentException(file + " has no articles for language '" + e.getKey()
                        + "' (see corpus/languages.tsv for the codes)");
            }
        }
        return new UdhrArticles(out);
    }

    /** The paragraphs of an article (its lines), without the heading line ("Article 27"); null if the language lacks it. */
    String[] paragraphs(String language, int article) {
        String text = byLanguage.get(language).get(article);
        if (text == null) {
            return null;
        }
        String[] lines = text.strip().split("\n");
        return java.util.Arrays.copyOfRange(lines, Math.min(1, lines.length), lines.length);
    }
}
