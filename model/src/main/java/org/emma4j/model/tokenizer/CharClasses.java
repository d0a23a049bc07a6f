package org.emma4j.model.tokenizer;

/**
 * The character classes of the Llama 3 pre-tokenizer regex, with the meaning the Rust regex engines
 * behind tiktoken (fancy-regex) and Hugging Face tokenizers give them: {@code \p{L}} is general
 * category Letter, {@code \p{N}} general category Number, and {@code \s} the Unicode White_Space
 * property. Java's own {@code \s} (and {@link Character#isWhitespace}) differ from White_Space, so the
 * set is spelled out here. Lone surrogates fall in {@link #OTHER}, like U+FFFD that they encode to.
 */
final class CharClasses {
    /** Not a letter, number or whitespace: punctuation, symbols, marks, format characters, emoji. */
    static final byte OTHER = 0;
    static final byte LETTER = 1;
    static final byte NUMBER = 2;
    /** White_Space other than CR and LF. */
    static final byte SPACE = 3;
    /** CR or LF: whitespace that the regex also names explicitly ({@code [\r\n]}). */
    static final byte NEWLINE = 4;

    /** The class of every BMP code unit; supplementary code points are classified on demand. */
    private static final byte[] BMP = new byte[0x10000];

    static {
        for (int c = 0; c < 0x10000; c++) {
            BMP[c] = computeClass(c);
        }
    }

    private CharClasses() {
    }

    static byte of(int codePoint) {
        return codePoint < 0x10000 ? BMP[codePoint] : computeClass(codePoint);
    }

    /** Unicode White_Space (PropList.txt, unchanged since Unicode 6.3 removed U+180E). */
    static boolean isWhiteSpace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F
                || cp == 0x205F || cp == 0x3000;
    }

    private static byte computeClass(int cp) {
        if (cp == '\r' || cp == '\n') {
            return NEWLINE;
        }
        if (isWhiteSpace(cp)) {
            return SPACE;
        }
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER -> LETTER;
            case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> NUMBER;
            default -> OTHER;
        };
    }
}
