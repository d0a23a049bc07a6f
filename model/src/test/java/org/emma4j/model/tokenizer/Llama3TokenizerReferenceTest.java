package org.emma4j.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.emma4j.kernels.TestTensors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Llama 3 tokenizer against ids from two independent implementations (tiktoken and
 * transformers.js, see src/test/node/generate-expected.cjs) on strings in more than 40 scripts and the
 * hard cases; reading tokenizer.model (derived here from tokenizer.json) gives the same ids.
 */
class Llama3TokenizerReferenceTest {
    @TempDir
    static Path dir;

    private static Llama3Tokenizer derivedFromModel;

    private Llama3Tokenizer fromJson;
    private Llama3Tokenizer fromModel;

    /** Per test, so that without the file every test reports itself skipped with the reason. */
    @BeforeEach
    void load() throws IOException {
        fromJson = RealLlama3Tokenizer.get();
        fromModel = derivedTiktokenModel();
    }

    private static synchronized Llama3Tokenizer derivedTiktokenModel() throws IOException {
        if (derivedFromModel == null) {
            derivedFromModel = Llama3Tokenizer.load(writeTiktokenModel(RealLlama3Tokenizer.tokenizerJson(), dir.resolve("tokenizer.model")));
        }
        return derivedFromModel;
    }

    /**
     * Writes the tokenizer.model (tiktoken format) that Meta ships, from the tokenizer.json vocabulary:
     * the byte-level strings decoded with GPT-2's alphabet, written independently of the main code.
     */
    static Path writeTiktokenModel(Path tokenizerJson, Path out) throws IOException {
        int[] byteOfChar = new int[0x200];
        java.util.Arrays.fill(byteOfChar, -1);
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            byteOfChar[printable ? b : next++] = b;
        }
        JsonNode vocab;
        try (InputStream in = Files.newInputStream(tokenizerJson)) {
            vocab = new ObjectMapper().readTree(in).get("model").get("vocab");
        }
        String[] lines = new String[vocab.size()];
        for (Map.Entry<String, JsonNode> e : vocab.properties()) {
            String token = e.getKey();
            byte[] bytes = new byte[token.length()];
            for (int i = 0; i < token.length(); i++) {
                bytes[i] = (byte) byteOfChar[token.charAt(i)];
            }
            lines[e.getValue().asInt()] = Base64.getEncoder().encodeToString(bytes) + " " + e.getValue().asInt();
        }
        Files.write(out, List.of(lines), StandardCharsets.US_ASCII);
        return out;
    }

    @Test
    void reproducesTheReferenceIds() {
        Map<String, String> texts = ReferenceCases.textByName();
        List<ReferenceCases.Expected> expected = ReferenceCases.expected();
        assertEquals(2 * texts.size(), expected.size(), "every string in both special-token modes");
        for (ReferenceCases.Expected e : expected) {
            String text = texts.get(e.name());
            assertArrayEquals(e.ids(), fromJson.encode(text, e.handling()), () -> "tokenizer.json, " + e.name() + " " + e.handling());
            assertArrayEquals(e.ids(), fromModel.encode(text, e.handling()), () -> "tokenizer.model, " + e.name() + " " + e.handling());
        }
    }

    @Test
    void hasLlama3sVocabularyAndSpecialTokens() {
        for (Llama3Tokenizer t : new Llama3Tokenizer[] {fromJson, fromModel}) {
            assertEquals(128256, t.vocabSize());
            assertEquals(128000, t.bosId());
            assertEquals(128001, t.eosId());
            assertEquals(128009, t.specialTokenId("<|eot_id|>").orElseThrow());
            assertEquals(128006, t.specialTokenId("<|start_header_id|>").orElseThrow());
            assertEquals(128007, t.specialTokenId("<|end_header_id|>").orElseThrow());
            assertEquals(128255, t.specialTokenId("<|reserved_special_token_250|>").orElseThrow());
            assertTrue(t.isSpecial(128000));
            assertFalse(t.isSpecial(127999));
            assertEquals(128000, t.encodeWithBos("Hello", SpecialTokenHandling.PLAIN)[0]);
        }
        for (int id = 0; id < fromJson.vocabSize(); id++) {
            assertArrayEquals(fromJson.tokenBytes(id), fromModel.tokenBytes(id), "token " + id);
        }
    }

    @Test
    void decodeGivesBackTheText() {
        for (ReferenceCases.TestString s : ReferenceCases.strings()) {
            for (SpecialTokenHandling handling : SpecialTokenHandling.values()) {
                assertEquals(withLoneSurrogatesReplaced(s.text()), fromJson.decode(fromJson.encode(s.text(), handling)),
                        s.name() + " " + handling);
            }
        }
    }

    @Test
    void streamingDecodeHoldsBackPartialCharactersAndEndsExact() {
        for (ReferenceCases.TestString s : ReferenceCases.strings()) {
            int[] ids = fromJson.encode(s.text(), SpecialTokenHandling.PARSE);
            StreamingDecoder decoder = fromJson.streamingDecoder();
            StringBuilder streamed = new StringBuilder();
            for (int id : ids) {
                String chunk = decoder.next(id);
                if (!s.text().contains("\uFFFD") && !hasLoneSurrogate(s.text())) {
                    assertFalse(chunk.contains("\uFFFD"), () -> s.name() + ": replacement character mid-stream");
                }
                streamed.append(chunk);
            }
            streamed.append(decoder.finish());
            assertEquals(fromJson.decode(ids), streamed.toString(), s.name());
        }
    }

    @Test
    void bothFileFormatsAgreeOnLongAndRandomText() {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        List<ReferenceCases.TestString> strings = ReferenceCases.strings();
        StringBuilder sb = new StringBuilder();
        // Long words of mixed scripts (single pieces of thousands of bytes: the heap path) ...
        for (int w = 0; w < 4; w++) {
            int length = rnd.nextInt(500, 4000);
            for (int i = 0; i < length; i++) {
                String source = strings.get(rnd.nextInt(strings.size())).text();
                if (!source.isEmpty()) {
                    int at = rnd.nextInt(source.length());
                    char c = source.charAt(at);
                    if (Character.isLetter(c)) {
                        sb.append(c);
                    }
                }
            }
            sb.append(' ');
        }
        // ... then random slices of the reference strings glued with random separators.
        String[] separators = {" ", "\n", "  ", "\t", "", ". ", "\r\n"};
        for (int i = 0; i < 300; i++) {
            String source = strings.get(rnd.nextInt(strings.size())).text();
            if (source.length() > 1) {
                int a = rnd.nextInt(source.length());
                int b = rnd.nextInt(a, source.length() + 1);
                sb.append(source, a, b).append(separators[rnd.nextInt(separators.length)]);
            }
        }
        String text = sb.toString();
        for (SpecialTokenHandling handling : SpecialTokenHandling.values()) {
            int[] ids = fromJson.encode(text, handling);
            assertArrayEquals(ids, fromModel.encode(text, handling), "seed " + seed);
            assertEquals(withLoneSurrogatesReplaced(text), fromJson.decode(ids), "seed " + seed);
        }
    }

    private static boolean hasLoneSurrogate(String s) {
        return !withLoneSurrogatesReplaced(s).equals(s);
    }

    /** What UTF-8 encoding with replacement does to lone surrogates (String.getBytes would write '?'). */
    static String withLoneSurrogatesReplaced(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                sb.append(c).append(s.charAt(++i));
            } else {
                sb.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return sb.toString();
    }
}
