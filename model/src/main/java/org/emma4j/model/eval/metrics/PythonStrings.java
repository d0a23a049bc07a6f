package org.emma4j.model.eval.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * Python's {@code str} whitespace rules, which the reference metric implementations (sacreBLEU, rouge-score,
 * lm-evaluation-harness) rely on through {@code split()}, {@code strip()} and {@code rstrip()}. Python's idea
 * of whitespace ({@code str.isspace}) is wider than Java's {@link Character#isWhitespace}: it includes the
 * no-break spaces U+00A0, U+2007 and U+202F, NEL U+0085 and the separators U+001C..U+001F.
 */
public final class PythonStrings {
    private PythonStrings() {
    }

    /** Python's {@code str.isspace()} for one code point (bidirectional class WS, B or S, or category Zs). */
    public static boolean isSpace(int cp) {
        return switch (cp) {
            case '\t', '\n', 0x0B, 0x0C, '\r', 0x1C, 0x1D, 0x1E, 0x1F, ' ', 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F,
                 0x3000 -> true;
            default -> cp >= 0x2000 && cp <= 0x200A;
        };
    }

    /** {@code s.split()}: the maximal runs of non-whitespace, in order. */
    public static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && isSpace(s.codePointAt(i))) {
                i += Character.charCount(s.codePointAt(i));
            }
            int start = i;
            while (i < n && !isSpace(s.codePointAt(i))) {
                i += Character.charCount(s.codePointAt(i));
            }
            if (i > start) {
                out.add(s.substring(start, i));
            }
        }
        return out;
    }

    /** {@code s.rstrip()}. */
    public static String rstrip(String s) {
        int end = s.length();
        while (end > 0) {
            int cp = s.codePointBefore(end);
            if (!isSpace(cp)) {
                break;
            }
            end -= Character.charCount(cp);
        }
        return s.substring(0, end);
    }

    /** {@code s.strip()}. */
    public static String strip(String s) {
        String r = rstrip(s);
        int start = 0;
        while (start < r.length() && isSpace(r.codePointAt(start))) {
            start += Character.charCount(r.codePointAt(start));
        }
        return r.substring(start);
    }

    /** {@code len(s)}: the number of code points. */
    public static int length(String s) {
        return s.codePointCount(0, s.length());
    }

    /** {@code ''.join(s.split())}: the text with every whitespace character removed. */
    public static String removeWhitespace(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().filter(cp -> !isSpace(cp)).forEach(sb::appendCodePoint);
        return sb.toString();
    }
}
