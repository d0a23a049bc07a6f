package org.emma4j.model.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.emma4j.kernels.TestTensors;
import org.emma4j.model.tokenizer.Llama3Tokenizer;
import org.emma4j.model.tokenizer.SpecialTokenHandling;
import org.emma4j.model.tokenizer.SyntheticVocabulary;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code emma4j tokenize} run in-process, stdin and stdout redirected, on a random vocabulary. */
class TokenizeCommandTest {
    @TempDir
    Path dir;

    private final ObjectMapper json = new ObjectMapper();
    private long seed;
    private SplittableRandom rnd;
    private Path tokenizerJson;
    private Llama3Tokenizer tokenizer;

    record Run(int exitCode, List<String> lines, String error) {
    }

    @BeforeEach
    void setUp() throws IOException {
        seed = TestTensors.freshSeed();
        rnd = new SplittableRandom(seed);
        SyntheticVocabulary vocab = SyntheticVocabulary.random(rnd, 400);
        tokenizerJson = vocab.writeTokenizerJson(Files.createDirectories(dir.resolve("hf")), false, true);
        vocab.writeTiktoken(Files.createDirectories(dir.resolve("meta")));
        tokenizer = Llama3Tokenizer.load(tokenizerJson);
    }

    private Run run(String stdin, String... args) {
        TokenizeCommand command = new TokenizeCommand(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        CommandLine cli = new CommandLine(command);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println(ex.getMessage());
            return 1;
        });
        int code = cli.execute(args);
        cli.getErr().flush();
        List<String> lines = out.toString().isEmpty() ? List.of() : List.of(out.toString().split("\n", -1));
        return new Run(code, lines.isEmpty() ? lines : lines.subList(0, lines.size() - 1), err.toString());
    }

    private List<String> randomTexts() {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            texts.add(SyntheticVocabulary.randomWord(rnd, rnd.nextInt(1, 30)) + (rnd.nextBoolean() ? " <|eot_id|>\n\t\"x\"" : " 12 ü"));
        }
        texts.add("");
        return texts;
    }

    private String jsonLines(List<?> values) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Object v : values) {
            sb.append(json.writeValueAsString(v)).append('\n');
        }
        return sb.toString();
    }

    @Test
    void isRegisteredInTheMainCommand() {
        assertTrue(new CommandLine(new Main()).getSubcommands().containsKey("tokenize"));
    }

    @Test
    void encodesEachLineAndDecodesItBack() throws IOException {
        List<String> texts = randomTexts();
        for (String special : new String[] {"parse", "plain"}) {
            SpecialTokenHandling handling = special.equals("parse") ? SpecialTokenHandling.PARSE : SpecialTokenHandling.PLAIN;
            Run encoded = run(jsonLines(texts), "--tokenizer", tokenizerJson.toString(), "--special", special, "--bos");
            assertEquals(0, encoded.exitCode(), encoded.error());
            assertEquals(texts.size(), encoded.lines().size());
            for (int i = 0; i < texts.size(); i++) {
                assertArrayEquals(tokenizer.encodeWithBos(texts.get(i), handling), json.readValue(encoded.lines().get(i), int[].class),
                        "seed " + seed + ", line " + (i + 1));
            }
            Run decoded = run(String.join("\n", encoded.lines()) + "\n", "--tokenizer", tokenizerJson.toString(), "--decode");
            assertEquals(0, decoded.exitCode(), decoded.error());
            for (int i = 0; i < texts.size(); i++) {
                assertEquals("<|begin_of_text|>" + texts.get(i), json.readValue(decoded.lines().get(i), String.class), "seed " + seed);
            }
        }
    }

    @Test
    void acceptsTokenizerModelAndModelDirectories() throws IOException {
        List<String> texts = randomTexts();
        Run fromJson = run(jsonLines(texts), "--tokenizer", dir.resolve("hf").toString());
        Run fromModel = run(jsonLines(texts), "--tokenizer", dir.resolve("meta/tokenizer.model").toString());
        assertEquals(0, fromJson.exitCode(), fromJson.error());
        assertEquals(0, fromModel.exitCode(), fromModel.error());
        for (int i = 0; i < texts.size(); i++) {
            JsonNode ids = json.readTree(fromJson.lines().get(i));
            assertArrayEquals(tokenizer.encode(texts.get(i), SpecialTokenHandling.PLAIN), json.treeToValue(ids, int[].class), "seed " + seed);
        }
        assertEquals(texts.size(), fromModel.lines().size());
    }

    @Test
    void badInputNamesTheLine() {
        String tok = tokenizerJson.toString();
        Run notString = run("\"ok\"\n42\n", "--tokenizer", tok);
        assertEquals(1, notString.exitCode());
        assertEquals(1, notString.lines().size(), "the good line before the error is written");
        assertTrue(notString.error().contains("line 2: expected a JSON string"), notString.error());

        Run badJson = run("\"a\"\n\"b\"\n\"unterminated\n", "--tokenizer", tok);
        assertTrue(badJson.error().contains("line 3: not valid JSON"), badJson.error());

        Run badId = run("[1, 2]\n[5, 99999999]\n", "--tokenizer", tok, "--decode");
        assertTrue(badId.error().contains("line 2: token id 99999999 at position 1"), badId.error());

        Run notIds = run("[1, \"x\"]\n", "--tokenizer", tok, "--decode");
        assertTrue(notIds.error().contains("line 1: element 1 is not a token id"), notIds.error());

        Run empty = run("\"a\"\n\n", "--tokenizer", tok);
        assertTrue(empty.error().contains("line 2: empty line"), empty.error());

        Run badMode = run("\"a\"\n", "--tokenizer", tok, "--special", "maybe");
        assertEquals(2, badMode.exitCode());
        assertTrue(badMode.error().contains("--special must be parse or plain"), badMode.error());

        Run missing = run("\"a\"\n", "--tokenizer", dir.resolve("nothing-here").toString());
        assertTrue(missing.error().contains("no tokenizer file at"), missing.error());
    }
}
