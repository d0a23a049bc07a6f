package org.emma4j.model.tokenizer;

/**
 * UTF-8 to text with the Unicode standard's replacement rule (§3.9, "U+FFFD substitution of maximal
 * subparts", also what Python's {@code errors="replace"} and the WHATWG TextDecoder do): each maximal
 * prefix of a well-formed sequence that cannot be completed, and each byte that cannot start one,
 * becomes one U+FFFD. Java's own decoder differs on some ill-formed input (it swallows an encoded
 * surrogate ED A0..BF xx whole), and a left-to-right rule of our own is what makes streaming decode
 * agree exactly with whole decode.
 */
final class Utf8Decoding {
    private Utf8Decoding() {
    }

    /**
     * Appends the text of {@code bytes[from .. to)} to {@code out}. With {@code holdIncompleteTail}, a
     * trailing sequence that is well-formed so far but incomplete is not decoded, and its start is
     * returned; otherwise it becomes U+FFFD and {@code to} is returned.
     */
    static int decode(byte[] bytes, int from, int to, StringBuilder out, boolean holdIncompleteTail) {
        int i = from;
        while (i < to) {
            int lead = bytes[i] & 0xFF;
            if (lead < 0x80) {
                out.append((char) lead);
                i++;
                continue;
            }
            int needed;
            int codePoint;
            int secondLow = 0x80;
            int secondHigh = 0xBF;
            if (lead >= 0xC2 && lead <= 0xDF) {
                needed = 1;
                codePoint = lead & 0x1F;
            } else if (lead >= 0xE0 && lead <= 0xEF) {
                needed = 2;
                codePoint = lead & 0x0F;
                if (lead == 0xE0) {
                    secondLow = 0xA0;
                } else if (lead == 0xED) {
                    secondHigh = 0x9F;
                }
            } else if (lead >= 0xF0 && lead <= 0xF4) {
                needed = 3;
                codePoint = lead & 0x07;
                if (lead == 0xF0) {
                    secondLow = 0x90;
                } else if (lead == 0xF4) {
                    secondHigh = 0x8F;
                }
            } else {
                out.append('\uFFFD');
                i++;
                continue;
            }
            int j = i + 1;
            int have = 0;
            while (have < needed && j < to) {
                int b = bytes[j] & 0xFF;
                int low = have == 0 ? secondLow : 0x80;
                int high = have == 0 ? secondHigh : 0xBF;
                if (b < low || b > high) {
                    break;
                }
                codePoint = (codePoint << 6) | (b & 0x3F);
                j++;
                have++;
            }
            if (have == needed) {
                out.appendCodePoint(codePoint);
            } else if (j == to && holdIncompleteTail) {
                return i;
            } else {
                out.append('\uFFFD');
            }
            i = j;
        }
        return to;
    }
}
