package org.emma4j.model.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the demo's evaluation data in the layouts of the eval tasks: {@code perplexity/{lang}.jsonl} (one held-out
 * article per line, field "text") and a FLORES-like {@code flores200_dataset/{devtest,dev}/{lang}.{devtest,dev}},
 * one paragraph per line, aligned across languages. A paragraph is kept only when every language has the article
 * with the same number of paragraphs, so that line i means the same text in every file.
 */
final class EvalDataWriter {
    private EvalDataWriter() {
    }

    /** Counts of what was written. */
    record Written(int perplexityDocuments, int devtestLines, int devLines) {
    }

    static Written write(UdhrArticles heldout, UdhrArticles train, List<Integer> devArticles, Path dir) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Path ppl = Files.createDirectories(dir.resolve("perplexity"));
        int docs = 0;
        for (var e : heldout.byLanguage().entrySet()) {
            StringBuilder sb = new StringBuilder();
            for (String text : e.getValue().values()) {
                sb.append(json.writeValueAsString(Map.of("text", text))).append('\n');
                docs++;
            }
            Files.writeString(ppl.resolve(e.getKey() + ".jsonl"), sb, StandardCharsets.UTF_8);
        }
        List<String> languages = List.copyOf(heldout.byLanguage().keySet());
        Map<String, List<String>> devtest = aligned(heldout, languages, List.copyOf(heldout.byLanguage().get(languages.get(0)).keySet()));
        Map<String, List<String>> dev = aligned(train, languages, devArticles);
        int nTest = devtest.get(languages.get(0)).size();
        int nDev = dev.get(languages.get(0)).size();
        if (nTest == 0 || nDev == 0) {
            throw new IllegalStateException("no held-out or few-shot paragraphs are aligned across " + languages
                    + " (every language needs the article with the same number of paragraphs); choose other languages");
        }
        writeSplit(dir.resolve("flores200_dataset").resolve("devtest"), ".devtest", devtest);
        writeSplit(dir.resolve("flores200_dataset").resolve("dev"), ".dev", dev);
        return new Written(docs, nTest, nDev);
    }

    /** The paragraphs of {@code articles} that every language has in equal number, per language, line-aligned. */
    static Map<String, List<String>> aligned(UdhrArticles corpus, List<String> languages, List<Integer> articles) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        languages.forEach(l -> out.put(l, new ArrayList<>()));
        for (int article : articles) {
            Map<String, String[]> paragraphs = new LinkedHashMap<>();
            for (String l : languages) {
                paragraphs.put(l, corpus.paragraphs(l, article));
            }
            int n = paragraphs.get(languages.get(0)) == null ? -1 : paragraphs.get(languages.get(0)).length;
            boolean ok = n > 0 && paragraphs.values().stream().allMatch(p -> p != null && p.length == n
                    && java.util.Arrays.stream(p).noneMatch(String::isBlank));
            if (!ok) {
                continue;
            }
            for (String l : languages) {
                for (String p : paragraphs.get(l)) {
                    out.get(l).add(p.strip());
                }
            }
        }
        return out;
    }

    private static void writeSplit(Path dir, String suffix, Map<String, List<String>> lines) throws IOException {
        Files.createDirectories(dir);
        for (var e : lines.entrySet()) {
            Files.writeString(dir.resolve(e.getKey() + suffix), String.join("\n", e.getValue()) + "\n", StandardCharsets.UTF_8);
        }
    }
}
