package org.emma4j.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.emma4j.kernels.TestTensors;
import org.junit.jupiter.api.Test;

/**
 * The hand-written scanner against an independent oracle: java.util.regex running Llama 3's pattern,
 * with {@code \s} spelled out as Unicode White_Space (Java's {@code \s} is ASCII-only, and its
 * UNICODE_CHARACTER_CLASS {@code \s} is not White_Space either) and Unicode case folding for the
 * contractions. Java's {@code \p{L}} and {@code \p{N}} are general categories, as in Rust's regex. The
 * oracle backtracks; on short strings that is fine.
 */
class Llama3PreTokenizerTest {
    private static final String WS = "[\\t\\n\\x0B\\f\\r\\x20\\x85\\xA0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]";
    private static final String NOT_WS = WS.replaceFirst("\\[", "[^");
    private static final Pattern ORACLE = Pattern.compile(Llama3PreTokenizer.PATTERN
            .replace("[^\\s\\p{L}\\p{N}]", "[^\\p{L}\\p{N}" + WS.substring(1))
            .replace("\\s", WS)
            .replace("\\S", NOT_WS), Pattern.UNICODE_CASE);

    /** Code points chosen to exercise every alternative and every class boundary. */
    private static final int[] ALPHABET = {
        'a', 'Z', 'é', 'ß', 'я', 'ا', 'ก', '中', 'ﾊ', 0x1E900 /* Adlam letter */, 0x10330 /* Gothic letter */,
        '1', '٣', '½', 'Ⅻ', 0x1D7D9 /* math digit */, '²',
        ' ', ' ', ' ', '\t', '\n', '\r', 0x0B, 0x85, 0xA0, 0x3000, 0x2028, 0x180E /* not whitespace since Unicode 6.3 */,
        0xFEFF, 0x200B, 0x200D,
        '\'', '\'', 's', 'S', 0x17F /* long s */, 't', 'r', 'e', 'E', 'v', 'm', 'l', 'L', 'd', 0x212A /* Kelvin */,
        '.', '!', '(', '<', '|', '>', '-', '’',
        0x301 /* combining acute */, 0x94D /* Devanagari virama */, 0x1F600 /* emoji */, 0x1F3FD /* skin tone */,
        0xD800 /* lone high surrogate */, 0xDC00 /* lone low surrogate */, 0xFFFD,
    };

    static List<String> oraclePieces(String text) {
        List<String> pieces = new ArrayList<>();
        Matcher m = ORACLE.matcher(text);
        int expectedStart = 0;
        while (m.find()) {
            if (m.start() != expectedStart) {
                throw new AssertionError("oracle skipped text at " + expectedStart + " in " + escape(text));
            }
            pieces.add(m.group());
            expectedStart = m.end();
        }
        if (expectedStart != text.length()) {
            throw new AssertionError("oracle left text at " + expectedStart + " in " + escape(text));
        }
        return pieces;
    }

    static List<String> scannerPieces(String text) {
        List<String> pieces = new ArrayList<>();
        int pos = 0;
        while (pos < text.length()) {
            int end = Llama3PreTokenizer.pieceEnd(text, pos, text.length());
            if (end <= pos) {
                throw new AssertionError("no progress at " + pos + " in " + escape(text));
            }
            pieces.add(text.substring(pos, end));
            pos = end;
        }
        return pieces;
    }

    @Test
    void matchesTheRegexOnRandomStrings() {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int trial = 0; trial < 20_000; trial++) {
            StringBuilder sb = new StringBuilder();
            int length = rnd.nextInt(0, 25);
            for (int i = 0; i < length; i++) {
                sb.appendCodePoint(ALPHABET[rnd.nextInt(ALPHABET.length)]);
            }
            String text = sb.toString();
            assertEquals(oraclePieces(text), scannerPieces(text), () -> "seed " + seed + ", text " + escape(text));
        }
    }

    @Test
    void matchesTheRegexOnEveryReferenceString() {
        for (ReferenceCases.TestString test : ReferenceCases.strings()) {
            assertEquals(oraclePieces(test.text()), scannerPieces(test.text()), test.name());
        }
    }

    @Test
    void matchesTheRegexOnEveryBmpCharacterInContext() {
        // Each code unit between letters, after a space and before a newline: covers every class decision.
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < 0x10000; c++) {
            if (Character.isSurrogate((char) c)) {
                continue;
            }
            sb.setLength(0);
            sb.append('a').append((char) c).append("b ").append((char) c).append((char) c).append("\n1").append((char) c);
            String text = sb.toString();
            assertEquals(oraclePieces(text), scannerPieces(text), () -> "U+" + Integer.toHexString(text.charAt(1)));
        }
    }

    @Test
    void stopsAtTheGivenEnd() {
        String text = "hello world";
        assertEquals(5, Llama3PreTokenizer.pieceEnd(text, 0, 5));
        assertEquals(3, Llama3PreTokenizer.pieceEnd(text, 0, 3));
        assertEquals(8, Llama3PreTokenizer.pieceEnd(text, 5, 8));
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder("\"");
        s.chars().forEach(c -> sb.append(c >= 0x20 && c < 0x7F ? String.valueOf((char) c) : String.format("\\u%04x", c)));
        return sb.append('"').toString();
    }
}
