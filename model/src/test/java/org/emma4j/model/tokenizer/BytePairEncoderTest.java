package org.emma4j.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.emma4j.kernels.TestTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Byte-pair merging on random vocabularies against the two textbook algorithms in
 * {@link SyntheticVocabulary}. Words are letters only, so each is one pre-tokenizer piece; lengths go
 * past {@link BytePairEncoder#HEAP_THRESHOLD} bytes so both the scan and the heap paths are checked, and
 * words repeat so that cached results are checked too.
 */
class BytePairEncoderTest {
    @TempDir
    Path dir;

    private static int randomLength(SplittableRandom rnd) {
        return rnd.nextInt(4) == 0 ? rnd.nextInt(60, 400) : rnd.nextInt(1, 30);
    }

    @Test
    void tiktokenModelMergesLikeTiktoken() throws IOException {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        SyntheticVocabulary vocab = SyntheticVocabulary.random(rnd, 3000);
        Llama3Tokenizer tokenizer = Llama3Tokenizer.fromTiktokenModel(vocab.writeTiktoken(dir), SyntheticVocabulary.SPECIALS);
        String[] words = new String[400];
        for (int i = 0; i < words.length; i++) {
            words[i] = i >= 300 ? words[i - 300] : SyntheticVocabulary.randomWord(rnd, randomLength(rnd));
        }
        for (String word : words) {
            assertArrayEquals(vocab.referenceTiktoken(word.getBytes(StandardCharsets.UTF_8)),
                    tokenizer.encode(word, SpecialTokenHandling.PLAIN), () -> "seed " + seed + ", word " + word);
        }
    }

    @Test
    void tokenizerJsonMergesLikeHuggingFace() throws IOException {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        SyntheticVocabulary vocab = SyntheticVocabulary.random(rnd, 3000);
        for (boolean arrays : new boolean[] {false, true}) {
            for (boolean ignoreMerges : new boolean[] {false, true}) {
                Path sub = dir.resolve("json-" + arrays + "-" + ignoreMerges);
                java.nio.file.Files.createDirectories(sub);
                Llama3Tokenizer tokenizer = Llama3Tokenizer.load(vocab.writeTokenizerJson(sub, arrays, ignoreMerges));
                for (int i = 0; i < 200; i++) {
                    String word = SyntheticVocabulary.randomWord(rnd, randomLength(rnd));
                    assertArrayEquals(vocab.referenceHuggingFace(word.getBytes(StandardCharsets.UTF_8), ignoreMerges),
                            tokenizer.encode(word, SpecialTokenHandling.PLAIN),
                            () -> "seed " + seed + ", arrays " + arrays + ", ignore_merges " + ignoreMerges + ", word " + word);
                }
            }
        }
    }

    @Test
    void sharedInstanceGivesTheSameIdsOnManyThreads() throws Exception {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        SyntheticVocabulary vocab = SyntheticVocabulary.random(rnd, 2000);
        Llama3Tokenizer tokenizer = Llama3Tokenizer.fromTiktokenModel(vocab.writeTiktoken(dir), SyntheticVocabulary.SPECIALS);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            text.append(SyntheticVocabulary.randomWord(rnd, rnd.nextInt(1, 12))).append(rnd.nextBoolean() ? " " : ", ");
        }
        String document = text.toString();
        int[] expected = tokenizer.encode(document, SpecialTokenHandling.PLAIN);
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
            var futures = new java.util.ArrayList<java.util.concurrent.Future<int[]>>();
            for (int t = 0; t < 8; t++) {
                futures.add(pool.submit(() -> tokenizer.encode(document, SpecialTokenHandling.PLAIN)));
            }
            for (var f : futures) {
                assertArrayEquals(expected, f.get(), "seed " + seed);
            }
        }
        assertEquals(document, tokenizer.decode(expected), "seed " + seed);
    }

    @Test
    void specialTokenTextIsParsedOnlyWhenAsked() throws IOException {
        long seed = TestTensors.freshSeed();
        SyntheticVocabulary vocab = SyntheticVocabulary.random(new SplittableRandom(seed), 500);
        Llama3Tokenizer tokenizer = Llama3Tokenizer.load(vocab.writeTokenizerJson(dir, false, true));
        int eot = vocab.specialId("<|eot_id|>");
        String text = "ab<|eot_id|>cd <|eot_id|><|x|>";
        int[] parsed = tokenizer.encode(text, SpecialTokenHandling.PARSE);
        int[] plain = tokenizer.encode(text, SpecialTokenHandling.PLAIN);
        assertEquals(2, java.util.Arrays.stream(parsed).filter(id -> id == eot).count(), "seed " + seed);
        assertEquals(vocab.specialId("<|x|>"), parsed[parsed.length - 1]);
        assertTrue(java.util.Arrays.stream(plain).noneMatch(tokenizer::isSpecial), "seed " + seed);
        assertEquals(text, tokenizer.decode(parsed));
        assertEquals(text, tokenizer.decode(plain));
        int[] withBos = tokenizer.encodeWithBos(text, SpecialTokenHandling.PARSE);
        assertEquals(tokenizer.bosId(), withBos[0]);
        assertArrayEquals(parsed, java.util.Arrays.copyOfRange(withBos, 1, withBos.length));
        assertEquals(vocab.specialId("<|begin_of_text|>"), tokenizer.bosId());
        assertEquals(vocab.specialId("<|end_of_text|>"), tokenizer.eosId());
        assertEquals(vocab.tokens.size() + SyntheticVocabulary.SPECIALS.size(), tokenizer.vocabSize());
        assertEquals(0, tokenizer.encode("", SpecialTokenHandling.PARSE).length);
    }
}
