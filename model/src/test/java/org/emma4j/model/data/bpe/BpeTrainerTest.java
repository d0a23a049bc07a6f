package org.emma4j.model.data.bpe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.emma4j.kernels.TestTensors;
import org.emma4j.model.data.ProgressLine;
import org.emma4j.model.data.TestCorpora;
import org.emma4j.model.tokenizer.Llama3Tokenizer;
import org.emma4j.model.tokenizer.SpecialTokenHandling;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Byte-level BPE training: against the textbook trainer, round trips through the Llama 3 tokenizer, determinism. */
class BpeTrainerTest {
    @TempDir
    Path dir;

    private static final ProgressLine SILENT = new ProgressLine(null, "", 0, "");

    private static PieceCounts countsOf(String text) {
        PieceCounts c = new PieceCounts();
        c.add(text);
        return c;
    }

    @Test
    void mergesEqualThoseOfTheTextbookTrainer() {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int trial = 0; trial < 4; trial++) {
            PieceCounts counts = countsOf(TestCorpora.text(rnd, 300 + rnd.nextInt(500)));
            BpeTrainer.Options options = new BpeTrainer.Options(266 + 1 + rnd.nextInt(400), 1 + rnd.nextInt(3), rnd.nextInt(3));
            BpeVocabulary fast = BpeTrainer.train(counts, options, SILENT);
            BpeVocabulary naive = NaiveBpeTrainer.train(counts, options);
            assertEquals(naive.merges().size(), fast.merges().size(), "merge count, seed " + seed + " " + options);
            for (int i = 0; i < naive.merges().size(); i++) {
                assertArrayEquals(naive.merges().get(i), fast.merges().get(i), "merge " + i + ", seed " + seed + " " + options);
            }
            assertEquals(naive.tokens().size(), fast.tokens().size(), "seed " + seed);
            for (int i = 0; i < naive.tokens().size(); i++) {
                assertArrayEquals(naive.tokens().get(i), fast.tokens().get(i), "token " + i + ", seed " + seed);
            }
            assertTrue(fast.merges().size() > 0, "seed " + seed + ": the corpus should allow some merges");
        }
    }

    @Test
    void trainedTokenizerRoundTripsAnyTextThroughLlama3Tokenizer() throws IOException {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        String training = TestCorpora.text(rnd, 4000);
        BpeVocabulary vocab = BpeTrainer.train(countsOf(training), new BpeTrainer.Options(800, 2, 3), SILENT);
        assertEquals(800, vocab.size(), "seed " + seed + ": the corpus supports 800 ids");
        Path file = dir.resolve("tokenizer.json");
        TokenizerJsonWriter.write(vocab, file);
        Llama3Tokenizer tok = Llama3Tokenizer.load(file);
        assertEquals(800, tok.vocabSize());
        assertEquals(vocab.tokens().size(), tok.bosId());
        assertEquals(vocab.tokens().size() + 1, tok.eosId());
        assertEquals(vocab.tokens().size() + 9, tok.specialTokenId("<|eot_id|>").getAsInt());
        assertEquals(vocab.tokens().size() + 12, tok.specialTokenId("<|reserved_special_token_7|>").getAsInt());
        List<String> texts = List.of(training, TestCorpora.text(rnd, 500), "unseen: Ωmega ǅ ẞ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \u0000\t\r\n end",
                "<|begin_of_text|> stays text", " ", "x");
        for (String text : texts) {
            int[] ids = tok.encode(text, SpecialTokenHandling.PLAIN);
            assertEquals(text, tok.decode(ids), "seed " + seed);
        }
        int[] ids = tok.encode(training, SpecialTokenHandling.PLAIN);
        int bytes = training.getBytes(StandardCharsets.UTF_8).length;
        assertTrue(ids.length < bytes / 2, "seed " + seed + ": " + ids.length + " tokens for " + bytes + " bytes: merges should compress");
    }

    @Test
    void encodingATrainingPieceFollowsTheMerges() throws IOException {
        // A piece seen often is merged into few tokens, and re-encoding it gives the training segmentation.
        String text = "lowest lower newest newer wider widest ".repeat(50);
        BpeVocabulary vocab = BpeTrainer.train(countsOf(text), new BpeTrainer.Options(300, 2, 0), SILENT);
        Path file = dir.resolve("tokenizer.json");
        TokenizerJsonWriter.write(vocab, file);
        Llama3Tokenizer tok = Llama3Tokenizer.load(file);
        int[] ids = tok.encode(" lowest", SpecialTokenHandling.PLAIN);
        assertEquals(1, ids.length, "' lowest' occurs 50 times and should be one token");
        assertEquals(" lowest", new String(vocab.tokens().get(ids[0]), StandardCharsets.UTF_8));
    }

    @Test
    void trainingIsDeterministicWhateverTheThreadCount() throws IOException {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        Path input = dir.resolve("corpus.txt");
        Files.writeString(input, TestCorpora.text(rnd, 8000));
        byte[][] outputs = new byte[3][];
        int[] threads = {1, 2, 3};
        for (int i = 0; i < 3; i++) {
            PieceCounts counts = TrainingText.countPieces(List.of(input), List.of("text"), threads[i], null);
            Path out = dir.resolve("tok" + i + ".json");
            TokenizerJsonWriter.write(BpeTrainer.train(counts, new BpeTrainer.Options(700, 2, 0), SILENT), out);
            outputs[i] = Files.readAllBytes(out);
        }
        assertArrayEquals(outputs[0], outputs[1], "seed " + seed);
        assertArrayEquals(outputs[0], outputs[2], "seed " + seed);
    }

    @Test
    void readsJsonLinesFieldsAndRefusesBadUtf8NamingTheLine() throws IOException {
        Path jsonl = dir.resolve("pairs.jsonl");
        Files.writeString(jsonl, "{\"src_text\": \"hello hello\", \"tgt_text\": \"bonjour\", \"n\": 1}\n{\"text\": \"hello\"}\n");
        PieceCounts counts = TrainingText.countPieces(List.of(jsonl), List.of("text", "src_text", "tgt_text"), 2, null);
        assertEquals(4, counts.total(), "hello, ' hello', bonjour, hello");
        Path bad = dir.resolve("bad.txt");
        Files.write(bad, new byte[] {'o', 'k', '\n', 'a', (byte) 0xC3, '\n'});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingText.countPieces(List.of(bad), List.of("text"), 1, null));
        assertTrue(e.getMessage().startsWith(bad + ":2: invalid_utf8"), e.getMessage());
    }

    @Test
    void refusesVocabulariesTooSmallForTheSpecialTokens() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BpeTrainer.Options(265, 2, 0));
        assertTrue(e.getMessage().contains("minimum 266"), e.getMessage());
    }
}
