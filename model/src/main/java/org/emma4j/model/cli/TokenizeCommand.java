package org.emma4j.model.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.emma4j.model.tokenizer.Llama3Tokenizer;
import org.emma4j.model.tokenizer.SpecialTokenHandling;
import org.emma4j.model.tokenizer.TokenIdBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Encodes or decodes JSON Lines on stdin with the Llama 3 tokenizer: each input line is a JSON string
 * (or, with --decode, a JSON array of ids) and each output line the matching JSON array of ids (or JSON
 * string), so that output line N belongs to input line N.
 */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = {"Tokenize JSON Lines from stdin with the Llama 3 tokenizer.",
                "Each input line is a JSON string; each output line is a JSON array of token ids.",
                "With --decode, input lines are JSON arrays of ids and output lines JSON strings."})
final class TokenizeCommand implements Callable<Integer> {

    @Option(names = "--tokenizer", required = true, paramLabel = "PATH",
            description = "A tokenizer.json, a tokenizer.model, or a model directory holding one.")
    Path tokenizerPath;

    @Option(names = "--special", defaultValue = "plain", paramLabel = "parse|plain", converter = SpecialConverter.class,
            description = "Special-token text such as <|eot_id|>: 'parse' gives the special id (Hugging Face), "
                    + "'plain' encodes it as text (Meta's default; default: ${DEFAULT-VALUE}).")
    SpecialTokenHandling special;

    @Option(names = "--decode", description = "Decode arrays of ids to text instead of encoding.")
    boolean decode;

    @Option(names = "--bos", description = "Start every encoded line with <|begin_of_text|> (128000).")
    boolean bos;

    @Spec
    CommandSpec spec;

    private final InputStream input;

    TokenizeCommand() {
        this(System.in);
    }

    TokenizeCommand(InputStream input) {
        this.input = input;
    }

    static final class SpecialConverter implements ITypeConverter<SpecialTokenHandling> {
        @Override
        public SpecialTokenHandling convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "parse" -> SpecialTokenHandling.PARSE;
                case "plain" -> SpecialTokenHandling.PLAIN;
                default -> throw new IllegalArgumentException("--special must be parse or plain, found '" + value + "'");
            };
        }
    }

    @Override
    public Integer call() throws Exception {
        if (decode && bos) {
            throw new IllegalArgumentException("--bos applies to encoding; it cannot be combined with --decode");
        }
        Llama3Tokenizer tokenizer = Llama3Tokenizer.load(tokenizerPath);
        ObjectMapper json = new ObjectMapper();
        PrintWriter out = spec.commandLine().getOut();
        BufferedReader in = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8), 1 << 16);
        TokenIdBuffer ids = new TokenIdBuffer(1024);
        StringBuilder line = new StringBuilder();
        String text;
        long lineNumber = 0;
        while ((text = in.readLine()) != null) {
            lineNumber++;
            JsonNode node = parse(json, text, lineNumber);
            line.setLength(0);
            if (decode) {
                String decoded;
                try {
                    decoded = tokenizer.decode(idsOf(node, lineNumber));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("line " + lineNumber + ": " + e.getMessage(), e);
                }
                line.append(json.writeValueAsString(decoded));
            } else {
                if (!node.isTextual()) {
                    throw new IllegalArgumentException("line " + lineNumber + ": expected a JSON string, found " + describe(node));
                }
                ids.clear();
                if (bos) {
                    ids.add(tokenizer.bosId());
                }
                tokenizer.encodeInto(node.textValue(), special, ids);
                appendArray(line, ids);
            }
            out.print(line.append('\n'));
            if (!in.ready()) {
                out.flush();
            }
        }
        out.flush();
        return 0;
    }

    private static JsonNode parse(ObjectMapper json, String text, long lineNumber) {
        if (text.isBlank()) {
            throw new IllegalArgumentException("line " + lineNumber + ": empty line (each line must hold one JSON value)");
        }
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("line " + lineNumber + ": not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static int[] idsOf(JsonNode node, long lineNumber) {
        if (!node.isArray()) {
            throw new IllegalArgumentException("line " + lineNumber + ": expected a JSON array of token ids, found " + describe(node));
        }
        int[] ids = new int[node.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode id = node.get(i);
            if (!id.isIntegralNumber() || !id.canConvertToInt()) {
                throw new IllegalArgumentException("line " + lineNumber + ": element " + i + " is not a token id: " + id);
            }
            ids[i] = id.intValue();
        }
        return ids;
    }

    private static String describe(JsonNode node) {
        String kind = node.getNodeType().name().toLowerCase(Locale.ROOT);
        String text = node.toString();
        return kind + " " + (text.length() > 40 ? text.substring(0, 40) + "..." : text);
    }

    private static void appendArray(StringBuilder line, TokenIdBuffer ids) {
        line.append('[');
        for (int i = 0; i < ids.size(); i++) {
            if (i > 0) {
                line.append(',');
            }
            line.append(ids.get(i));
        }
        line.append(']');
    }
}
