package org.emma4j.model.tokenizer;

import static org.emma4j.model.tokenizer.CharClasses.LETTER;
import static org.emma4j.model.tokenizer.CharClasses.NEWLINE;
import static org.emma4j.model.tokenizer.CharClasses.NUMBER;
import static org.emma4j.model.tokenizer.CharClasses.OTHER;
import static org.emma4j.model.tokenizer.CharClasses.SPACE;

/**
 * Splits text into the pieces that Llama 3's pre-tokenizer regex
 * <pre>{@value #PATTERN}</pre>
 * finds, exactly as the leftmost-first backtracking engines of tiktoken and Hugging Face tokenizers do,
 * but as a hand-written scanner: one forward pass per piece with no backtracking, so the cost is linear
 * in the text whatever its content, and the character classes are those of {@link CharClasses}.
 *
 * <p>At each position the alternatives are tried in the regex's order:
 * <ol>
 * <li>{@code (?i:'s|'t|'re|'ve|'m|'ll|'d)} — contractions, case-insensitive with Unicode simple case
 *     folding (so {@code 'ſ}, U+017F, matches like {@code 's});
 * <li>{@code [^\r\n\p{L}\p{N}]?\p{L}+} — a letter run, with one optional leading character that is no
 *     letter, number, CR or LF (a space, a tab, punctuation, a combining mark...);
 * <li>{@code \p{N}{1,3}} — up to three numbers;
 * <li>{@code  ?[^\s\p{L}\p{N}]+[\r\n]*} — a run of "other" characters, with one optional leading ASCII
 *     space, and the CR/LF that follow it;
 * <li>{@code \s*[\r\n]+} — whitespace up to and including its last CR or LF;
 * <li>{@code \s+(?!\S)} — whitespace not followed by a non-space: all of it at the end of the text,
 *     otherwise all but its last character (which then starts the next piece);
 * <li>{@code \s+} — what is left: a single whitespace character before a non-space.
 * </ol>
 * Positions are UTF-16 indices; a piece never splits a surrogate pair.
 */
public final class Llama3PreTokenizer {
    /** Meta's pattern (llama3 tokenizer.py {@code pat_str}), as tokenizer.json also carries it. */
    public static final String PATTERN = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    private Llama3PreTokenizer() {
    }

    /**
     * Returns the end (exclusive) of the piece that starts at {@code start}, looking no further than
     * {@code end}. {@code start < end} and both are code point boundaries.
     */
    public static int pieceEnd(CharSequence text, int start, int end) {
        char c = text.charAt(start);
        if (c == '\'' && start + 1 < end) {
            int contraction = contractionLength(text, start + 1, end);
            if (contraction > 0) {
                return start + 1 + contraction;
            }
        }
        int cp = codePointAt(text, start, end);
        int next = start + Character.charCount(cp);
        byte cls = CharClasses.of(cp);
        if (cls == LETTER) {
            return letterRunEnd(text, next, end);
        }
        if (cls != NUMBER && cls != NEWLINE && next < end && CharClasses.of(codePointAt(text, next, end)) == LETTER) {
            return letterRunEnd(text, next, end);
        }
        if (cls == NUMBER) {
            int pos = next;
            for (int count = 1; count < 3 && pos < end; count++) {
                int following = codePointAt(text, pos, end);
                if (CharClasses.of(following) != NUMBER) {
                    break;
                }
                pos += Character.charCount(following);
            }
            return pos;
        }
        if (cls == OTHER) {
            return otherRunEnd(text, next, end);
        }
        if (c == ' ' && next < end) {
            int following = codePointAt(text, next, end);
            if (CharClasses.of(following) == OTHER) {
                return otherRunEnd(text, next + Character.charCount(following), end);
            }
        }
        return whitespaceEnd(text, start, end);
    }

    /** Length after the apostrophe of a contraction starting at {@code pos}, or 0 if there is none. */
    private static int contractionLength(CharSequence text, int pos, int end) {
        char a = text.charAt(pos);
        switch (a) {
            case 's', 'S', '\u017F', 't', 'T', 'm', 'M', 'd', 'D':
                return 1;
            case 'r', 'R', 'v', 'V':
                return pos + 1 < end && (text.charAt(pos + 1) | 0x20) == 'e' ? 2 : 0;
            case 'l', 'L':
                return pos + 1 < end && (text.charAt(pos + 1) | 0x20) == 'l' ? 2 : 0;
            default:
                return 0;
        }
    }

    private static int letterRunEnd(CharSequence text, int pos, int end) {
        while (pos < end) {
            int cp = codePointAt(text, pos, end);
            if (CharClasses.of(cp) != LETTER) {
                break;
            }
            pos += Character.charCount(cp);
        }
        return pos;
    }

    /** Continues a {@code [^\s\p{L}\p{N}]+} run from {@code pos}, then takes the CR/LF after it. */
    private static int otherRunEnd(CharSequence text, int pos, int end) {
        while (pos < end) {
            int cp = codePointAt(text, pos, end);
            if (CharClasses.of(cp) != OTHER) {
                break;
            }
            pos += Character.charCount(cp);
        }
        while (pos < end) {
            char c = text.charAt(pos);
            if (c != '\r' && c != '\n') {
                break;
            }
            pos++;
        }
        return pos;
    }

    /** Alternatives 5 to 7 at a whitespace character. Every whitespace character is one UTF-16 unit. */
    private static int whitespaceEnd(CharSequence text, int start, int end) {
        int pos = start;
        int lastNewline = -1;
        while (pos < end) {
            char c = text.charAt(pos);
            byte cls = CharClasses.of(c);
            if (cls == NEWLINE) {
                lastNewline = pos;
            } else if (cls != SPACE) {
                break;
            }
            pos++;
        }
        if (lastNewline >= 0) {
            return lastNewline + 1;
        }
        if (pos == end || pos - start == 1) {
            return pos;
        }
        return pos - 1;
    }

    /**
     * The code point at {@code index}; a high surrogate at {@code end - 1} or without its low surrogate
     * is returned alone (it classifies as {@link CharClasses#OTHER}, like the U+FFFD it encodes to).
     */
    static int codePointAt(CharSequence text, int index, int end) {
        char c = text.charAt(index);
        if (Character.isHighSurrogate(c) && index + 1 < end) {
            char low = text.charAt(index + 1);
            if (Character.isLowSurrogate(low)) {
                return Character.toCodePoint(c, low);
            }
        }
        return c;
    }
}
