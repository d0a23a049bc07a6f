package org.emma4j.model.eval.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * rouge-score's default tokenizer (rouge/tokenize.py, replicating ROUGE-1.5.5): lower-case, replace every run
 * of characters outside [a-z0-9] by a space, split on whitespace, stem tokens longer than 3 characters with
 * the {@link PorterStemmer} when stemming is on, and keep only non-empty [a-z0-9]+ tokens. Everything outside
 * ASCII letters and digits is thrown away, which is why non-Latin summaries need
 * {@link MultilingualRougeTokenizer}.
 */
public record DefaultRougeTokenizer(boolean stem) implements RougeTokenizer {

    @Override
    public List<String> tokenize(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        List<String> tokens = new ArrayList<>();
        int i = 0;
        int n = lower.length();
        while (i < n) {
            while (i < n && !isAlnum(lower.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && isAlnum(lower.charAt(i))) {
                i++;
            }
            if (i > start) {
                String token = lower.substring(start, i);
                tokens.add(stem && token.length() > 3 ? PorterStemmer.stem(token) : token);
            }
        }
        tokens.removeIf(t -> t.isEmpty() || !t.chars().allMatch(DefaultRougeTokenizer::isAlnum));
        return tokens;
    }

    private static boolean isAlnum(int c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }
}
