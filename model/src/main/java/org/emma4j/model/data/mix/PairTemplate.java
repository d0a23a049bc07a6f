package org.emma4j.model.data.mix;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders a translation pair as training text. Placeholders: {@code {src_name}}, {@code {tgt_name}}
 * (English language names), {@code {src_lang}}, {@code {tgt_lang}} (codes), {@code {src_text}},
 * {@code {tgt_text}}; {@code {{} and {@code }}} write literal braces. Rendering is one pass over the
 * template, so braces inside the texts are copied as they are.
 */
public final class PairTemplate {
    /** The paper's evaluation prompt format. */
    public static final String DEFAULT = "[{src_name}]: {src_text}\n[{tgt_name}]: {tgt_text}";

    private enum Part { LITERAL, SRC_NAME, TGT_NAME, SRC_LANG, TGT_LANG, SRC_TEXT, TGT_TEXT }

    private final String source;
    private final List<Part> parts = new ArrayList<>();
    private final List<String> literals = new ArrayList<>();

    private PairTemplate(String source) {
        this.source = source;
    }

    /** Parses {@code template}; an unknown placeholder or an unmatched brace is an IllegalArgumentException. */
    public static PairTemplate parse(String template) {
        PairTemplate t = new PairTemplate(template);
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c == '{' && i + 1 < template.length() && template.charAt(i + 1) == '{') {
                literal.append('{');
                i += 2;
            } else if (c == '}' && i + 1 < template.length() && template.charAt(i + 1) == '}') {
                literal.append('}');
                i += 2;
            } else if (c == '{') {
                int close = template.indexOf('}', i);
                if (close < 0) {
                    throw new IllegalArgumentException("template has an unclosed '{' at character " + i + ": " + template);
                }
                String name = template.substring(i + 1, close);
                Part part = switch (name) {
                    case "src_name" -> Part.SRC_NAME;
                    case "tgt_name" -> Part.TGT_NAME;
                    case "src_lang" -> Part.SRC_LANG;
                    case "tgt_lang" -> Part.TGT_LANG;
                    case "src_text" -> Part.SRC_TEXT;
                    case "tgt_text" -> Part.TGT_TEXT;
                    default -> throw new IllegalArgumentException("template has an unknown placeholder {" + name
                            + "} (known: src_name, tgt_name, src_lang, tgt_lang, src_text, tgt_text): " + template);
                };
                t.flush(literal);
                t.parts.add(part);
                t.literals.add(null);
                i = close + 1;
            } else if (c == '}') {
                throw new IllegalArgumentException("template has an unmatched '}' at character " + i
                        + " (write '}}' for a literal brace): " + template);
            } else {
                literal.append(c);
                i++;
            }
        }
        t.flush(literal);
        return t;
    }

    private void flush(StringBuilder literal) {
        if (!literal.isEmpty()) {
            parts.add(Part.LITERAL);
            literals.add(literal.toString());
            literal.setLength(0);
        }
    }

    /** The text of one pair, written from {@code src} to {@code tgt}. */
    public String render(String srcLang, String srcName, String srcText, String tgtLang, String tgtName, String tgtText) {
        StringBuilder out = new StringBuilder(srcText.length() + tgtText.length() + 64);
        for (int i = 0; i < parts.size(); i++) {
            out.append(switch (parts.get(i)) {
                case LITERAL -> literals.get(i);
                case SRC_NAME -> srcName;
                case TGT_NAME -> tgtName;
                case SRC_LANG -> srcLang;
                case TGT_LANG -> tgtLang;
                case SRC_TEXT -> srcText;
                case TGT_TEXT -> tgtText;
            });
        }
        return out.toString();
    }

    /** The template as written. */
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return source;
    }
}
