package org.emma4j.model.eval.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A language-aware ROUGE tokenizer for summaries in any script, following the default path of XL-Sum's
 * multilingual fork of rouge-score (csebuetnlp/xl-sum, multilingual_rouge_scoring) when it has no word
 * segmenter for the language:
 *
 * <ol>
 *   <li>lower-case;</li>
 *   <li>BERT's BasicTokenizer cleaning: drop NUL, U+FFFD and control/format characters (Unicode category C*,
 *       except tab, newline, carriage return), treat space, tab, newline, carriage return and category Zs as
 *       whitespace;</li>
 *   <li>split on whitespace and drop punctuation (ASCII 33–47, 58–64, 91–96, 123–126 and category P*), which
 *       ends a token;</li>
 *   <li>OpenNMT's "aggressive" segmentation: within a token, letters (with their combining marks) and digits
 *       form separate runs, and any other character (a symbol) is a token of its own;</li>
 *   <li>every CJK ideograph (the CJK Unified Ideographs blocks and extensions A–E, and the compatibility
 *       blocks, as BERT's {@code _is_chinese_char}) is a token of its own.</li>
 * </ol>
 *
 * <p>Differences from XL-Sum's scorer: it segments Chinese with jieba, Japanese with MeCab and Thai with
 * PyThaiNLP when told the language; here CJK text is split per ideograph and Thai, Lao, Khmer, Myanmar and
 * Japanese kana runs stay whole between spaces. No stemming is applied.
 */
public final class MultilingualRougeTokenizer implements RougeTokenizer {

    @Override
    public List<String> tokenize(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int currentClass = NONE;
        int i = 0;
        while (i < lower.length()) {
            int cp = lower.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == 0 || cp == 0xFFFD || isControl(cp)) {
                continue;
            }
            int cls = classify(cp);
            if (cls == SPACE || cls == PUNCTUATION) {
                flush(current, out);
                currentClass = NONE;
                continue;
            }
            if (cls == MARK) {
                // A combining mark belongs to the letters before it (Devanagari vowel signs, Arabic harakat).
                if (currentClass == LETTER) {
                    current.appendCodePoint(cp);
                    continue;
                }
                cls = LETTER;
            }
            if (cls == SYMBOL || cls == IDEOGRAPH) {
                flush(current, out);
                out.add(new String(Character.toChars(cp)));
                currentClass = NONE;
                continue;
            }
            if (cls != currentClass) {
                flush(current, out);
            }
            current.appendCodePoint(cp);
            currentClass = cls;
        }
        flush(current, out);
        return out;
    }

    private static final int NONE = 0;
    private static final int SPACE = 1;
    private static final int PUNCTUATION = 2;
    private static final int LETTER = 3;
    private static final int DIGIT = 4;
    private static final int MARK = 5;
    private static final int SYMBOL = 6;
    private static final int IDEOGRAPH = 7;

    private static void flush(StringBuilder current, List<String> out) {
        if (!current.isEmpty()) {
            out.add(current.toString());
            current.setLength(0);
        }
    }

    private static int classify(int cp) {
        if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || Character.getType(cp) == Character.SPACE_SEPARATOR) {
            return SPACE;
        }
        if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)
                || isPunctuationCategory(cp)) {
            return PUNCTUATION;
        }
        if (isCjkIdeograph(cp)) {
            return IDEOGRAPH;
        }
        int type = Character.getType(cp);
        if (type == Character.DECIMAL_DIGIT_NUMBER) {
            return DIGIT;
        }
        if (type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK || type == Character.ENCLOSING_MARK) {
            return MARK;
        }
        if (Character.isLetter(cp) || type == Character.LETTER_NUMBER || type == Character.OTHER_NUMBER) {
            return LETTER;
        }
        return SYMBOL;
    }

    /** Unicode category C* other than tab, newline and carriage return. */
    private static boolean isControl(int cp) {
        if (cp == '\t' || cp == '\n' || cp == '\r') {
            return false;
        }
        int type = Character.getType(cp);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.UNASSIGNED
                || type == Character.PRIVATE_USE || type == Character.SURROGATE;
    }

    private static boolean isPunctuationCategory(int cp) {
        return switch (Character.getType(cp)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    /** BERT's {@code _is_chinese_char} ranges. */
    static boolean isCjkIdeograph(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B820 && cp <= 0x2CEAF)
                || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }
}
