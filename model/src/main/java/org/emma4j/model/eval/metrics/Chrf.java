package org.emma4j.model.eval.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * chrF (Popović 2015) and chrF++ (Popović 2017) exactly as sacreBLEU 2.x computes them
 * (sacrebleu/metrics/chrf.py): character n-grams of orders 1..charOrder over the text with all whitespace
 * removed (code points, not UTF-16 units), plus word n-grams of orders 1..wordOrder after splitting one
 * punctuation mark off each word's end (or else its start); per order, the statistics [hypothesis n-grams,
 * reference n-grams, matches] are summed over the corpus, taking for each segment the reference whose own
 * F-score is highest.
 *
 * <p>By default (sacreBLEU's {@code eps_smoothing=False}) the precisions and recalls of the orders where both
 * sides have n-grams are averaged, and the score is F-beta of those averages, times 100. With
 * {@code epsSmoothing} each order's F-beta is computed (precision or recall 1e-16 when undefined, F 1e-16 when
 * both are zero) and the F-scores are averaged over all orders (chrF++.py, NLTK and Moses' way).
 */
public final class Chrf {
    private Chrf() {
    }

    /** string.punctuation, the marks chrF++ splits off words. */
    private static final Set<Integer> PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".codePoints().boxed()
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    /**
     * @param whitespace keep whitespace inside character n-grams (sacreBLEU's {@code whitespace=True})
     */
    public record Options(int charOrder, int wordOrder, double beta, boolean lowercase, boolean whitespace, boolean epsSmoothing) {
        public Options {
            if (charOrder < 0 || wordOrder < 0 || charOrder + wordOrder == 0) {
                throw new IllegalArgumentException("chrF needs non-negative orders, not both zero; found char order " + charOrder
                        + " and word order " + wordOrder);
            }
        }

        /** chrF: character order 6, no word n-grams, beta 2. */
        public static Options chrf() {
            return new Options(6, 0, 2, false, false, false);
        }

        /** chrF++: character order 6, word order 2, beta 2. */
        public static Options chrfPlusPlus() {
            return new Options(6, 2, 2, false, false, false);
        }

        public Options withBeta(double b) {
            return new Options(charOrder, wordOrder, b, lowercase, whitespace, epsSmoothing);
        }

        public Options withEpsSmoothing(boolean e) {
            return new Options(charOrder, wordOrder, beta, lowercase, whitespace, e);
        }

        public Options withWhitespace(boolean w) {
            return new Options(charOrder, wordOrder, beta, lowercase, w, epsSmoothing);
        }

        int orders() {
            return charOrder + wordOrder;
        }
    }

    /** Corpus chrF of {@code hypotheses} against reference streams (one line per hypothesis in each). */
    public static double corpus(List<String> hypotheses, List<List<String>> referenceStreams, Options options) {
        ReferenceStreams.check(hypotheses, referenceStreams);
        long[] stats = new long[3 * options.orders()];
        for (int s = 0; s < hypotheses.size(); s++) {
            long[] seg = segmentStatistics(hypotheses.get(s), ReferenceStreams.segment(referenceStreams, s), options);
            for (int i = 0; i < stats.length; i++) {
                stats[i] += seg[i];
            }
        }
        return fScore(stats, options);
    }

    /** chrF of one hypothesis against its references. */
    public static double sentence(String hypothesis, List<String> references, Options options) {
        return corpus(List.of(hypothesis), references.stream().map(List::of).toList(), options);
    }

    /** The [hyp, ref, match] triples of every order for the best-scoring reference of one segment. */
    static long[] segmentStatistics(String hypothesis, List<String> references, Options options) {
        List<Map<String, Integer>> hyp = allNgrams(preprocess(hypothesis, options), options);
        long[] best = null;
        double bestF = -1;
        for (String reference : references) {
            List<Map<String, Integer>> ref = allNgrams(preprocess(reference, options), options);
            long[] stats = new long[3 * options.orders()];
            for (int i = 0; i < options.orders(); i++) {
                long hypCount = 0;
                long matches = 0;
                Map<String, Integer> r = ref.get(i);
                for (Map.Entry<String, Integer> e : hyp.get(i).entrySet()) {
                    hypCount += e.getValue();
                    Integer rc = r.get(e.getKey());
                    if (rc != null) {
                        matches += Math.min(e.getValue(), rc);
                    }
                }
                long refCount = 0;
                for (int c : r.values()) {
                    refCount += c;
                }
                // sacreBLEU counts no hypothesis n-grams of an order the reference has none of.
                stats[3 * i] = r.isEmpty() ? 0 : hypCount;
                stats[3 * i + 1] = refCount;
                stats[3 * i + 2] = matches;
            }
            double f = fScore(stats, options);
            if (f > bestF) {
                bestF = f;
                best = stats;
            }
        }
        return best;
    }

    private static String preprocess(String s, Options options) {
        return options.lowercase() ? s.toLowerCase(Locale.ROOT) : s;
    }

    private static List<Map<String, Integer>> allNgrams(String line, Options options) {
        List<Map<String, Integer>> out = new ArrayList<>(options.orders());
        String chars = options.whitespace() ? line : PythonStrings.removeWhitespace(line);
        int[] cps = chars.codePoints().toArray();
        for (int n = 1; n <= options.charOrder(); n++) {
            Map<String, Integer> counts = new HashMap<>();
            for (int i = 0; i + n <= cps.length; i++) {
                counts.merge(new String(cps, i, n), 1, Integer::sum);
            }
            out.add(counts);
        }
        if (options.wordOrder() > 0) {
            List<String> words = splitPunctuation(line);
            for (int n = 1; n <= options.wordOrder(); n++) {
                Map<String, Integer> counts = new HashMap<>();
                for (int i = 0; i + n <= words.size(); i++) {
                    counts.merge(String.join(" ", words.subList(i, i + n)), 1, Integer::sum);
                }
                out.add(counts);
            }
        }
        return out;
    }

    /**
     * sacreBLEU's {@code _remove_punctuation}: a word of two or more characters ending in punctuation loses
     * that last mark to a separate token; otherwise one starting with punctuation loses its first mark.
     */
    static List<String> splitPunctuation(String sentence) {
        List<String> out = new ArrayList<>();
        for (String w : PythonStrings.split(sentence)) {
            int length = PythonStrings.length(w);
            if (length == 1) {
                out.add(w);
                continue;
            }
            int last = w.codePointBefore(w.length());
            int first = w.codePointAt(0);
            if (PUNCTUATION.contains(last)) {
                int cut = w.length() - Character.charCount(last);
                out.add(w.substring(0, cut));
                out.add(w.substring(cut));
            } else if (PUNCTUATION.contains(first)) {
                int cut = Character.charCount(first);
                out.add(w.substring(0, cut));
                out.add(w.substring(cut));
            } else {
                out.add(w);
            }
        }
        return out;
    }

    /** sacreBLEU's {@code _compute_f_score}: the score in [0, 100] from summed statistics. */
    static double fScore(long[] stats, Options options) {
        double eps = 1e-16;
        double factor = options.beta() * options.beta();
        double score = 0;
        double avgPrec = 0;
        double avgRec = 0;
        int effectiveOrder = 0;
        for (int i = 0; i < options.orders(); i++) {
            long nHyp = stats[3 * i];
            long nRef = stats[3 * i + 1];
            long nMatch = stats[3 * i + 2];
            double prec = nHyp > 0 ? (double) nMatch / nHyp : eps;
            double rec = nRef > 0 ? (double) nMatch / nRef : eps;
            double denom = factor * prec + rec;
            score += denom > 0 ? (1 + factor) * prec * rec / denom : eps;
            if (nHyp > 0 && nRef > 0) {
                avgPrec += prec;
                avgRec += rec;
                effectiveOrder++;
            }
        }
        if (options.epsSmoothing()) {
            return 100 * score / options.orders();
        }
        if (effectiveOrder == 0) {
            return 0.0;
        }
        avgPrec /= effectiveOrder;
        avgRec /= effectiveOrder;
        if (avgPrec + avgRec == 0) {
            return 0.0;
        }
        return 100 * (1 + factor) * avgPrec * avgRec / (factor * avgPrec + avgRec);
    }
}
