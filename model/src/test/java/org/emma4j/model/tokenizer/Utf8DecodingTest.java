package org.emma4j.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.emma4j.kernels.TestTensors;
import org.junit.jupiter.api.Test;

/** The decoder's replacement rule against the Unicode standard's own examples (§3.9, Tables 3-8 to 3-11). */
class Utf8DecodingTest {
    private static String decode(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) bytes[i];
        }
        StringBuilder out = new StringBuilder();
        Utf8Decoding.decode(b, 0, b.length, out, false);
        return out.toString();
    }

    private static final String R = "\uFFFD";

    @Test
    void replacesMaximalSubpartsAsTheUnicodeStandardShows() {
        // Table 3-8: truncated sequences, each maximal subpart one U+FFFD.
        assertEquals("a" + R + R + R + "b" + R + "c" + R + R + "d",
                decode(0x61, 0xF1, 0x80, 0x80, 0xE1, 0x80, 0xC2, 0x62, 0x80, 0x63, 0x80, 0xBF, 0x64));
        // Table 3-9: non-shortest forms, each byte one U+FFFD.
        assertEquals(R.repeat(8) + "A", decode(0xC0, 0xAF, 0xE0, 0x80, 0xBF, 0xF0, 0x81, 0x82, 0x41));
        // Table 3-10: encoded surrogates, each byte one U+FFFD (Java's decoder gives one per sequence).
        assertEquals(R.repeat(8) + "A", decode(0xED, 0xA0, 0x80, 0xED, 0xBF, 0xBF, 0xED, 0xAF, 0x41));
        // Table 3-11: out of range and invalid bytes.
        assertEquals(R.repeat(5) + "A" + R + R + "B", decode(0xF4, 0x91, 0x92, 0x93, 0xFF, 0x41, 0x80, 0xBF, 0x42));
        // Truncated sequences inside text.
        assertEquals(R + R + R + R + "A", decode(0xE1, 0x80, 0xE2, 0xF0, 0x91, 0x92, 0xF1, 0xBF, 0x41));
    }

    @Test
    void decodesValidTextLikeJava() {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int trial = 0; trial < 2000; trial++) {
            StringBuilder sb = new StringBuilder();
            for (int i = rnd.nextInt(0, 20); i > 0; i--) {
                int cp;
                do {
                    cp = switch (rnd.nextInt(4)) {
                        case 0 -> rnd.nextInt(0x80);
                        case 1 -> rnd.nextInt(0x80, 0x800);
                        case 2 -> rnd.nextInt(0x800, 0x10000);
                        default -> rnd.nextInt(0x10000, 0x110000);
                    };
                } while (Character.isSurrogate((char) cp) && cp < 0x10000);
                sb.appendCodePoint(cp);
            }
            String text = sb.toString();
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            StringBuilder out = new StringBuilder();
            assertEquals(bytes.length, Utf8Decoding.decode(bytes, 0, bytes.length, out, true), "seed " + seed);
            assertEquals(text, out.toString(), "seed " + seed);
        }
    }

    @Test
    void holdsBackOnlyAnIncompleteWellFormedTail() {
        byte[] bytes = {'a', (byte) 0xE4, (byte) 0xB8};
        StringBuilder out = new StringBuilder();
        assertEquals(1, Utf8Decoding.decode(bytes, 0, bytes.length, out, true));
        assertEquals("a", out.toString());
        byte[] notWellFormed = {'a', (byte) 0xED, (byte) 0xA0};
        out.setLength(0);
        assertEquals(3, Utf8Decoding.decode(notWellFormed, 0, notWellFormed.length, out, true));
        assertEquals("a" + R + R, out.toString());
    }
}
