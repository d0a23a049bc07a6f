package org.emma4j.model.data.prepare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.emma4j.model.data.BadInputException;
import org.emma4j.model.data.BadInputReason;
import org.emma4j.model.data.SmallTokenizers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each kind of bad input line: without --skip-bad it stops with the file and line named; with it the line
 * is skipped, counted under its reason, quoted among the examples, and the good lines still make shards.
 */
class BadInputTest {
    @TempDir
    Path dir;

    @TempDir
    static Path shared;

    private static Path tokenizer;

    private static final String GOOD = "{\"lang\":\"fra_Latn\",\"text\":\"bonjour le monde\"}";
    private static final String GOOD_PAIR = "{\"src_lang\":\"eng_Latn\",\"tgt_lang\":\"fra_Latn\",\"src_text\":\"hi\",\"tgt_text\":\"salut\"}";

    @BeforeAll
    static void trainTokenizer() throws IOException {
        tokenizer = Path.of(SmallTokenizers.multilingual(shared.resolve("tok")).source());
    }

    /** name, source type, bad line bytes, line number of the bad line, reason, extra source fields. */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("malformed", "monolingual", "{\"lang\":\"fra_Latn\",\"text\":\"x\"", BadInputReason.MALFORMED_JSON, ""),
                Arguments.of("trailing", "monolingual", "{\"lang\":\"fra_Latn\",\"text\":\"x\"} {}", BadInputReason.MALFORMED_JSON, ""),
                Arguments.of("duplicate key", "monolingual", "{\"lang\":\"fra_Latn\",\"text\":\"x\",\"text\":\"y\"}",
                        BadInputReason.MALFORMED_JSON, ""),
                Arguments.of("blank line", "monolingual", "   ", BadInputReason.MALFORMED_JSON, ""),
                Arguments.of("not an object", "monolingual", "[1, 2]", BadInputReason.MALFORMED_JSON, ""),
                Arguments.of("missing text", "monolingual", "{\"lang\":\"fra_Latn\"}", BadInputReason.MISSING_FIELD, ""),
                Arguments.of("text not a string", "monolingual", "{\"lang\":\"fra_Latn\",\"text\":5}", BadInputReason.MISSING_FIELD, ""),
                Arguments.of("missing lang", "monolingual", "{\"text\":\"x\"}", BadInputReason.MISSING_FIELD, ""),
                Arguments.of("invalid utf-8", "monolingual", "{\"lang\":\"fra_Latn\",\"text\":\"caf\u00FFe\"}", BadInputReason.INVALID_UTF8, ""),
                Arguments.of("lone surrogate escape", "monolingual", "{\"lang\":\"fra_Latn\",\"text\":\"a\\ud800b\"}",
                        BadInputReason.INVALID_UTF8, ""),
                Arguments.of("unknown language", "monolingual", "{\"lang\":\"xyz_Latn\",\"text\":\"x\"}", BadInputReason.UNKNOWN_LANGUAGE, ""),
                Arguments.of("unshaped code", "monolingual", "{\"lang\":\"french\",\"text\":\"x\"}", BadInputReason.UNKNOWN_LANGUAGE,
                        "    allow_unknown_languages: true\n"),
                Arguments.of("empty text", "monolingual", "{\"lang\":\"fra_Latn\",\"text\":\" \\n\\t \"}", BadInputReason.EMPTY_TEXT, ""),
                Arguments.of("pair missing tgt_text", "bilingual", "{\"src_lang\":\"eng_Latn\",\"tgt_lang\":\"fra_Latn\",\"src_text\":\"hi\"}",
                        BadInputReason.MISSING_FIELD, ""),
                Arguments.of("pair unknown language", "bilingual",
                        "{\"src_lang\":\"eng_Latn\",\"tgt_lang\":\"qqq_Latn\",\"src_text\":\"hi\",\"tgt_text\":\"x\"}",
                        BadInputReason.UNKNOWN_LANGUAGE, ""),
                Arguments.of("pair empty text", "bilingual",
                        "{\"src_lang\":\"eng_Latn\",\"tgt_lang\":\"fra_Latn\",\"src_text\":\"\",\"tgt_text\":\"x\"}",
                        BadInputReason.EMPTY_TEXT, ""),
                Arguments.of("token id too large", "tokenized", "{\"input_ids\":[1, 2, 999999]}", BadInputReason.BAD_TOKEN_ID, ""),
                Arguments.of("empty ids", "tokenized", "{\"input_ids\":[]}", BadInputReason.EMPTY_TEXT, ""),
                Arguments.of("ids not integers", "tokenized", "{\"input_ids\":[1, \"a\"]}", BadInputReason.MISSING_FIELD, ""));
    }

    private Path writeInput(String type, String badLine) throws IOException {
        String good = switch (type) {
            case "bilingual" -> GOOD_PAIR;
            case "tokenized" -> "{\"input_ids\":[5, 6, 7]}";
            default -> GOOD;
        };
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write((good + "\n" + good + "\n").getBytes(StandardCharsets.UTF_8));
        byte[] bad = badLine.getBytes(StandardCharsets.UTF_8);
        if (badLine.contains("\u00FF")) {
            // Raw invalid UTF-8: a lone 0xFF byte where the character was.
            bad = badLine.replace("\u00FF", "#").getBytes(StandardCharsets.UTF_8);
            bad[new String(bad, StandardCharsets.UTF_8).indexOf('#')] = (byte) 0xFF;
        }
        bytes.write(bad);
        bytes.write(("\n" + good + "\n").getBytes(StandardCharsets.UTF_8));
        Files.createDirectories(dir.resolve("data"));
        Files.write(dir.resolve("data/in.jsonl"), bytes.toByteArray());
        String extra = type.equals("tokenized") ? "    lang: und\n" : "";
        return Files.writeString(dir.resolve("mix.yaml"), "seq_len: 8\nsources:\n  - name: s\n    type: " + type
                + "\n    paths: [data/in.jsonl]\n    weight: 1\n" + extra);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void stopsNamingFileAndLineOrSkipsAndCounts(String name, String type, String badLine, BadInputReason reason, String fields)
            throws IOException {
        Path config = writeInput(type, badLine);
        if (!fields.isEmpty()) {
            Files.writeString(config, Files.readString(config) + fields);
        }
        BadInputException e = assertThrows(BadInputException.class,
                () -> DataPreparer.run(new PrepareOptions(config, tokenizer, dir.resolve("out"), false, 2, false, null)));
        assertTrue(e.getMessage().startsWith("data/in.jsonl:3: " + reason.key() + ": "), name + ": " + e.getMessage());
        assertEquals(reason, e.reason());
        assertFalse(Files.exists(dir.resolve("out")), "nothing is written when preparation stops");
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.filter(p -> p.getFileName().toString().startsWith(".out")).toList(), "temp files removed");
        }

        DataPreparer.run(new PrepareOptions(config, tokenizer, dir.resolve("out"), true, 2, false, null));
        JsonNode stats = new ObjectMapper().readTree(dir.resolve("out/stats.json").toFile());
        JsonNode source = stats.get("sources").get(0);
        assertEquals(4, source.get("records_read").asInt());
        assertEquals(1, source.get("skipped").get(reason.key()).asInt(), name + ": " + source.get("skipped"));
        assertEquals(1, source.get("skipped").size());
        assertEquals(1, stats.get("totals").get("records_skipped").asInt());
        assertTrue(stats.get("skipped_examples").get(0).asText().startsWith("data/in.jsonl:3: " + reason.key()));
        assertEquals(3, stats.get("totals").get("train").get("documents").asInt(), "the three good lines are packed");
    }

    @Test
    void unknownCodesPassWhenAllowedIfShapedLikeFloresCodes() throws IOException {
        String[][] lines = {{"monolingual", "{\"lang\":\"xyz_Latn\",\"text\":\"x\"}", "xyz_Latn"},
            {"bilingual", "{\"src_lang\":\"eng_Latn\",\"tgt_lang\":\"qqq_Latn\",\"src_text\":\"hi\",\"tgt_text\":\"x\"}",
                "eng_Latn-qqq_Latn"}};
        for (String[] c : lines) {
            Path config = writeInput(c[0], c[1]);
            Files.writeString(config, Files.readString(config) + "    allow_unknown_languages: true\n");
            Path out = dir.resolve("ok-" + c[0]);
            DataPreparer.run(new PrepareOptions(config, tokenizer, out, false, 1, false, null));
            JsonNode langs = new ObjectMapper().readTree(out.resolve("stats.json").toFile()).get("sources").get(0).get("languages");
            assertTrue(langs.has(c[2]), c[0] + ": " + langs);
        }
    }

    @Test
    void textFilesNameTheLineInsideAParagraphAndTheirLanguageComesFromTheFileName() throws IOException {
        Files.createDirectories(dir.resolve("t"));
        Files.write(dir.resolve("t/fra_Latn.txt"), new byte[] {'u', 'n', '\n', 'd', 'e', (byte) 0xC3, '\n', 't', '\n', '\n', 'b', '\n'});
        Files.writeString(dir.resolve("t/readme.txt"), "no language in this name\n");
        Path config = Files.writeString(dir.resolve("t.yaml"),
                "seq_len: 8\nsources:\n  - name: s\n    type: text\n    paths: [t/fra_Latn.txt]\n    weight: 1\n");
        BadInputException e = assertThrows(BadInputException.class,
                () -> DataPreparer.run(new PrepareOptions(config, tokenizer, dir.resolve("o1"), false, 1, false, null)));
        assertTrue(e.getMessage().startsWith("t/fra_Latn.txt:2: invalid_utf8: not valid UTF-8: malformed sequence of 1 byte(s) at byte 2"),
                e.getMessage());
        Files.writeString(config, Files.readString(config).replace("t/fra_Latn.txt", "t/*.txt"));
        IllegalArgumentException nameless = assertThrows(IllegalArgumentException.class,
                () -> DataPreparer.run(new PrepareOptions(config, tokenizer, dir.resolve("o2"), true, 1, false, null)));
        assertTrue(nameless.getMessage().startsWith("t/readme.txt: cannot tell the language"), nameless.getMessage());
    }
}
