package org.emma4j.model.data;

import java.util.SplittableRandom;

/**
 * Random multilingual text for data-pipeline tests: words drawn from small alphabets of several scripts
 * (Latin with diacritics, Cyrillic, Greek, Arabic, Devanagari, Han, emoji outside the BMP), digits,
 * punctuation and line breaks, so that BPE finds real structure to merge and UTF-8 of every length occurs.
 */
public final class TestCorpora {
    private static final String[] ALPHABETS = {
        "abcdefghijklmnopqrstuvwxyzéèàüöß",
        "абвгдежзийклмнопрстуфхцчшщыэюя",
        "αβγδεζηθικλμνξοπρστυφχψω",
        "ابتثجحخدذرزسشصضطظعغفقكلمنهوي",
        "कखगघचछजझटठडढणतथदधनपफबभमयरलवशसह",
        "的一是不了人我在有他这中大来上国个到说们",
    };
    private static final String[] EMOJI = {"\uD83D\uDE00", "\uD83C\uDF0D", "\uD83D\uDC4D"};
    private static final String PUNCT = ".,;:!?()-\"'";

    private TestCorpora() {
    }

    /** A word of 1..8 letters of one script; frequent short words recur so BPE merges them. */
    public static String word(SplittableRandom rnd) {
        String alphabet = ALPHABETS[rnd.nextInt(ALPHABETS.length)];
        int len = 1 + rnd.nextInt(rnd.nextInt(4) == 0 ? 8 : 4);
        StringBuilder sb = new StringBuilder();
        // A skewed letter choice gives Zipf-like repetition.
        for (int i = 0; i < len; i++) {
            int k = rnd.nextInt(1 + rnd.nextInt(alphabet.length()));
            sb.appendCodePoint(alphabet.codePointAt(alphabet.offsetByCodePoints(0, k)));
        }
        return sb.toString();
    }

    /** Text of about {@code words} words: spaces, punctuation, digits, emoji, newlines. */
    public static String text(SplittableRandom rnd, int words) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < words; i++) {
            if (i > 0) {
                int r = rnd.nextInt(40);
                sb.append(r == 0 ? "\n" : r == 1 ? "\n\n" : r == 2 ? "  " : " ");
            }
            int kind = rnd.nextInt(30);
            if (kind == 0) {
                sb.append(rnd.nextInt(100000));
            } else if (kind == 1) {
                sb.append(EMOJI[rnd.nextInt(EMOJI.length)]);
            } else {
                sb.append(word(rnd));
                if (kind == 2) {
                    sb.append(PUNCT.charAt(rnd.nextInt(PUNCT.length())));
                }
            }
        }
        return sb.toString();
    }
}
