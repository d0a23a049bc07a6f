package org.emma4j.model.eval.metrics;

import java.util.regex.Pattern;

/**
 * sacreBLEU's default BLEU tokenizer "13a", the tokenization of mteval-v13a.pl used by WMT
 * (sacrebleu/tokenizers/tokenizer_13a.py and tokenizer_re.py): drop {@code <skipped>}, join hyphenated line
 * breaks, unescape four HTML entities, pad the line with spaces, split off punctuation and symbols, split
 * periods and commas unless they sit between digits, split a dash after a digit, then collapse whitespace
 * (Python's definition of it).
 */
public final class Tokenizer13a {
    private Tokenizer13a() {
    }

    /** Symbols and punctuation that are always split off: { | } ~ [ \ ] ^ _ ` space ! " # $ % & ( ) * + : ; < = > ? @ /. */
    private static final Pattern SYMBOLS = Pattern.compile("([\\{-\\~\\[-\\` -\\&\\(-\\+\\:-\\@\\/])");
    /** A period or comma after a non-digit. */
    private static final Pattern PERIOD_COMMA_AFTER_NON_DIGIT = Pattern.compile("([^0-9])([\\.,])");
    /** A period or comma before a non-digit. */
    private static final Pattern PERIOD_COMMA_BEFORE_NON_DIGIT = Pattern.compile("([\\.,])([^0-9])");
    /** A dash after a digit. */
    private static final Pattern DASH_AFTER_DIGIT = Pattern.compile("([0-9])(-)");

    public static String tokenize(String line) {
        line = line.replace("<skipped>", "");
        line = line.replace("-\n", "");
        line = line.replace("\n", " ");
        if (line.indexOf('&') >= 0) {
            line = line.replace("&quot;", "\"");
            line = line.replace("&amp;", "&");
            line = line.replace("&lt;", "<");
            line = line.replace("&gt;", ">");
        }
        line = " " + line + " ";
        line = SYMBOLS.matcher(line).replaceAll(" $1 ");
        line = PERIOD_COMMA_AFTER_NON_DIGIT.matcher(line).replaceAll("$1 $2 ");
        line = PERIOD_COMMA_BEFORE_NON_DIGIT.matcher(line).replaceAll(" $1 $2");
        line = DASH_AFTER_DIGIT.matcher(line).replaceAll("$1 $2 ");
        return String.join(" ", PythonStrings.split(line));
    }
}
