package org.emma4j.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.emma4j.kernels.TestTensors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streaming decode against whole-sequence decode, on a vocabulary where every single byte is a token, so
 * that id streams can cut characters anywhere and can be invalid UTF-8.
 */
class StreamingDecoderTest {
    @TempDir
    Path dir;

    private SyntheticVocabulary vocab;
    private Llama3Tokenizer tokenizer;
    private long seed;

    @BeforeEach
    void setUp() throws IOException {
        seed = TestTensors.freshSeed();
        vocab = SyntheticVocabulary.random(new SplittableRandom(seed), 300);
        tokenizer = Llama3Tokenizer.fromTiktokenModel(vocab.writeTiktoken(dir), SyntheticVocabulary.SPECIALS);
    }

    private int[] byteIds() {
        int[] ids = new int[256];
        for (int id = 0; id < vocab.tokens.size(); id++) {
            if (vocab.tokens.get(id).length == 1) {
                ids[vocab.tokens.get(id)[0] & 0xFF] = id;
            }
        }
        return ids;
    }

    @Test
    void everyStreamEndsAsTheWholeDecode() {
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] byteIds = byteIds();
        // Bytes biased towards UTF-8 structure (leads, continuations, invalid leads) to hit every branch.
        int[] interesting = {0x41, 0x80, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF};
        for (int trial = 0; trial < 3000; trial++) {
            int[] ids = new int[rnd.nextInt(0, 12)];
            for (int i = 0; i < ids.length; i++) {
                int choice = rnd.nextInt(3);
                ids[i] = choice == 0 ? byteIds[interesting[rnd.nextInt(interesting.length)]]
                        : choice == 1 ? byteIds[rnd.nextInt(256)]
                        : rnd.nextInt(vocab.tokens.size() + SyntheticVocabulary.SPECIALS.size());
            }
            StreamingDecoder decoder = tokenizer.streamingDecoder();
            StringBuilder streamed = new StringBuilder();
            for (int id : ids) {
                streamed.append(decoder.next(id));
            }
            streamed.append(decoder.finish());
            assertFalse(decoder.hasPendingBytes());
            int[] copy = ids;
            assertEquals(tokenizer.decode(ids), streamed.toString(), () -> "seed " + seed + ", ids " + java.util.Arrays.toString(copy));
        }
    }

    @Test
    void validTextSplitIntoSingleBytesStreamsWithoutReplacementCharacters() {
        int[] byteIds = byteIds();
        String text = "añ中😀é̀ ߓߏ߬ 𞤀 ok";
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        StreamingDecoder decoder = tokenizer.streamingDecoder();
        StringBuilder streamed = new StringBuilder();
        for (byte b : bytes) {
            String chunk = decoder.next(byteIds[b & 0xFF]);
            assertFalse(chunk.contains("\uFFFD"), "replacement character mid-stream");
            streamed.append(chunk);
        }
        assertEquals("", decoder.finish());
        assertEquals(text, streamed.toString());
    }

    @Test
    void aTruncatedCharacterAtTheEndBecomesOneReplacementCharacter() {
        int[] byteIds = byteIds();
        StreamingDecoder decoder = tokenizer.streamingDecoder();
        assertEquals("a", decoder.next(byteIds['a']));
        assertEquals("", decoder.next(byteIds[0xE4]));
        assertEquals("", decoder.next(byteIds[0xB8]));
        assertEquals("\uFFFD", decoder.finish());
    }
}
