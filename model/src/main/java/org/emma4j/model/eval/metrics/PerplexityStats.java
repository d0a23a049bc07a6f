package org.emma4j.model.eval.metrics;

import java.nio.charset.StandardCharsets;

/**
 * Corpus perplexity as lm-evaluation-harness aggregates it (lm_eval/api/metrics.py weighted_perplexity and
 * bits_per_byte, with the wikitext-style counts of lm_eval/api/task.py): the log-likelihoods of all documents
 * and their sizes are summed over the whole corpus first, then divided, so long documents weigh more.
 *
 * <ul>
 *   <li>token perplexity = exp(−Σ loglik / Σ predicted tokens);</li>
 *   <li>byte perplexity = exp(−Σ loglik / Σ UTF-8 bytes);</li>
 *   <li>word perplexity = exp(−Σ loglik / Σ words), words counted as the harness does:
 *       {@code len(re.split(r"\s+", doc))}, i.e. one more than the number of whitespace runs (so leading or
 *       trailing whitespace adds an empty "word");</li>
 *   <li>bits per byte = −Σ loglik / Σ bytes / ln 2.</li>
 * </ul>
 */
public final class PerplexityStats {
    private double logLikelihood;
    private long tokens;
    private long bytes;
    private long words;
    private int documents;

    /** Adds one document: its total log-likelihood (natural log), the tokens it predicted, and its text. */
    public void add(double documentLogLikelihood, long predictedTokens, String text) {
        logLikelihood += documentLogLikelihood;
        tokens += predictedTokens;
        bytes += text.getBytes(StandardCharsets.UTF_8).length;
        words += harnessWordCount(text);
        documents++;
    }

    /** {@code len(re.split(r"\s+", text))}: 1 + the number of maximal whitespace runs. */
    public static long harnessWordCount(String text) {
        long runs = 0;
        boolean inSpace = false;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            boolean space = PythonStrings.isSpace(cp);
            if (space && !inSpace) {
                runs++;
            }
            inSpace = space;
            i += Character.charCount(cp);
        }
        return runs + 1;
    }

    public double logLikelihood() {
        return logLikelihood;
    }

    public long tokens() {
        return tokens;
    }

    public long bytes() {
        return bytes;
    }

    public long words() {
        return words;
    }

    public int documents() {
        return documents;
    }

    public double tokenPerplexity() {
        return Math.exp(-logLikelihood / tokens);
    }

    public double bytePerplexity() {
        return Math.exp(-logLikelihood / bytes);
    }

    public double wordPerplexity() {
        return Math.exp(-logLikelihood / words);
    }

    public double bitsPerByte() {
        return -logLikelihood / bytes / Math.log(2);
    }
}
