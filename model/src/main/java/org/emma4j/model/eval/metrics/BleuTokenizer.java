package org.emma4j.model.eval.metrics;

/** The sacreBLEU tokenizers emma4j implements (sacreBLEU's "intl", "zh", "ja-mecab" and "spm" are not). */
public enum BleuTokenizer {
    /** No tokenization: the text is split on whitespace as it is. */
    NONE("none"),
    /** mteval-v13a, sacreBLEU's default. */
    THIRTEEN_A("13a"),
    /** Every character is a token ({@code " ".join(line)}). */
    CHAR("char");

    private final String signature;

    BleuTokenizer(String signature) {
        this.signature = signature;
    }

    /** sacreBLEU's name for it (the "tok" field of its signature). */
    public String signature() {
        return signature;
    }

    public String tokenize(String line) {
        return switch (this) {
            case NONE -> line;
            case THIRTEEN_A -> Tokenizer13a.tokenize(line);
            case CHAR -> {
                StringBuilder sb = new StringBuilder(line.length() * 2);
                line.codePoints().forEach(cp -> {
                    if (!sb.isEmpty()) {
                        sb.append(' ');
                    }
                    sb.appendCodePoint(cp);
                });
                yield sb.toString();
            }
        };
    }
}
