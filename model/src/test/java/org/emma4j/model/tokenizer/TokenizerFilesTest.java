package org.emma4j.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.emma4j.kernels.TestTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding and reading tokenizer files, and the errors for files that are not Llama 3 tokenizers. */
class TokenizerFilesTest {
    @TempDir
    Path dir;

    private final long seed = TestTensors.freshSeed();
    private final SyntheticVocabulary vocab = SyntheticVocabulary.random(new SplittableRandom(seed), 200);

    @Test
    void aDirectoryPrefersTokenizerJsonThenTokenizerModel() throws IOException {
        Path onlyModel = Files.createDirectories(dir.resolve("meta/original"));
        vocab.writeTiktoken(onlyModel);
        Llama3Tokenizer fromMeta = Llama3Tokenizer.fromTiktokenModel(onlyModel.resolve("tokenizer.model"), SyntheticVocabulary.SPECIALS);
        assertTrue(fromMeta.source().endsWith("tokenizer.model"));
        Path both = Files.createDirectories(dir.resolve("hf"));
        vocab.writeTiktoken(both);
        vocab.writeTokenizerJson(both, true, true);
        assertTrue(Llama3Tokenizer.load(both).source().endsWith("tokenizer.json"));
        IOException none = assertThrows(IOException.class, () -> Llama3Tokenizer.load(Files.createDirectories(dir.resolve("empty"))));
        assertTrue(none.getMessage().contains("no tokenizer.json or tokenizer.model"), none.getMessage());
    }

    @Test
    void aDirectoryWithOnlyMetasFileUsesLlama3SpecialTokens() throws IOException {
        Path meta = Files.createDirectories(dir.resolve("meta/original"));
        vocab.writeTiktoken(meta);
        Llama3Tokenizer tokenizer = Llama3Tokenizer.load(dir.resolve("meta"));
        int base = vocab.tokens.size();
        assertTrue(tokenizer.bosId() == base && tokenizer.eosId() == base + 1, "seed " + seed);
        assertTrue(tokenizer.specialTokenId("<|eot_id|>").orElseThrow() == base + 9);
        assertTrue(tokenizer.vocabSize() == base + Llama3SpecialTokens.COUNT);
        assertArrayEquals(new int[] {base + 9}, tokenizer.encode("<|eot_id|>", SpecialTokenHandling.PARSE));
    }

    @Test
    void aBadTiktokenLineIsReportedWithItsNumber() throws IOException {
        Path file = vocab.writeTiktoken(dir);
        var lines = new java.util.ArrayList<>(Files.readAllLines(file));
        lines.set(6, "not-base64!! 6");
        Files.write(file, lines);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Llama3Tokenizer.fromTiktokenModel(file));
        assertTrue(e.getMessage().contains("line 7"), e.getMessage());
    }

    @Test
    void otherTokenizersAreRefusedWithTheReason() throws IOException {
        Path file = vocab.writeTokenizerJson(dir, false, true);
        String json = Files.readString(file, StandardCharsets.UTF_8);
        Files.writeString(file, json.replace("\"use_regex\":false", "\"use_regex\":true"), StandardCharsets.UTF_8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Llama3Tokenizer.load(file));
        assertTrue(e.getMessage().contains("pre_tokenizer is not Llama 3's"), e.getMessage());

        Files.writeString(file, json.replace("\"type\":\"BPE\"", "\"type\":\"Unigram\""), StandardCharsets.UTF_8);
        e = assertThrows(IllegalArgumentException.class, () -> Llama3Tokenizer.load(file));
        assertTrue(e.getMessage().contains("model.type is 'Unigram'"), e.getMessage());
    }

    @Test
    void decodingAnUnknownIdNamesItAndItsPosition() throws IOException {
        Llama3Tokenizer tokenizer = Llama3Tokenizer.load(vocab.writeTokenizerJson(dir, true, false));
        int tooLarge = tokenizer.vocabSize();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tokenizer.decode(new int[] {1, 2, tooLarge}));
        assertTrue(e.getMessage().contains("token id " + tooLarge + " at position 2"), e.getMessage());
    }
}
