package org.emma4j.model.eval.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Corpus BLEU exactly as sacreBLEU 2.x computes it (sacrebleu/metrics/bleu.py): per segment, the hypothesis
 * n-grams (orders 1..maxOrder, tokens from Python's {@code split()} of the tokenized line) are clipped by the
 * maximum count of each n-gram over that segment's references, and the reference length is the one closest to
 * the hypothesis length (the shorter on ties); the statistics are summed over the corpus, then
 * {@link #compute} turns them into the geometric mean of precisions times the brevity penalty.
 *
 * <p>Empty reference lines are skipped, so a segment may have fewer references than others (sacreBLEU's
 * variable reference count); a segment with no reference at all is an error.
 */
public final class Bleu {
    private Bleu() {
    }

    /** sacreBLEU's smoothing methods (Chen and Cherry 2014). */
    public enum Smoothing {
        /** No smoothing. */
        NONE(Double.NaN),
        /** Method 1: a zero match count becomes {@code smoothValue} (default 0.1). */
        FLOOR(0.1),
        /** Method 2: add {@code smoothValue} (default 1) to matches and totals of orders above 1. */
        ADD_K(1),
        /** Method 3, NIST's (mteval-v13a): the k-th order with no match gets precision 1 / (2^k · total). */
        EXP(Double.NaN);

        final double defaultValue;

        Smoothing(double defaultValue) {
            this.defaultValue = defaultValue;
        }
    }

    /**
     * @param smoothValue    the value for FLOOR and ADD_K, or null for the method's default
     * @param effectiveOrder stop at the highest order with any hypothesis n-gram (sacreBLEU's sentence BLEU
     *                       recommendation); false for corpus BLEU
     */
    public record Options(BleuTokenizer tokenizer, boolean lowercase, Smoothing smoothing, Double smoothValue, int maxOrder,
                          boolean effectiveOrder) {
        public Options {
            if (maxOrder < 1) {
                throw new IllegalArgumentException("BLEU's max n-gram order must be at least 1, found " + maxOrder);
            }
        }

        /** sacreBLEU's defaults: 13a tokens, case-sensitive, exponential smoothing, order 4, no effective order. */
        public static Options sacreBleuDefault() {
            return new Options(BleuTokenizer.THIRTEEN_A, false, Smoothing.EXP, null, 4, false);
        }

        public Options withTokenizer(BleuTokenizer t) {
            return new Options(t, lowercase, smoothing, smoothValue, maxOrder, effectiveOrder);
        }

        public Options withSmoothing(Smoothing s, Double value) {
            return new Options(tokenizer, lowercase, s, value, maxOrder, effectiveOrder);
        }

        public Options withMaxOrder(int n) {
            return new Options(tokenizer, lowercase, smoothing, smoothValue, n, effectiveOrder);
        }

        public Options withEffectiveOrder(boolean e) {
            return new Options(tokenizer, lowercase, smoothing, smoothValue, maxOrder, e);
        }

        public Options withLowercase(boolean l) {
            return new Options(tokenizer, l, smoothing, smoothValue, maxOrder, effectiveOrder);
        }
    }

    /** Corpus BLEU of {@code hypotheses} against reference streams, each holding one line per hypothesis. */
    public static BleuScore corpus(List<String> hypotheses, List<List<String>> referenceStreams, Options options) {
        ReferenceStreams.check(hypotheses, referenceStreams);
        int order = options.maxOrder();
        long[] stats = new long[2 + 2 * order];
        for (int s = 0; s < hypotheses.size(); s++) {
            List<String> refs = ReferenceStreams.segment(referenceStreams, s);
            long[] seg = segmentStatistics(hypotheses.get(s), refs, options);
            for (int i = 0; i < stats.length; i++) {
                stats[i] += seg[i];
            }
        }
        double[] correct = new double[order];
        double[] total = new double[order];
        for (int n = 0; n < order; n++) {
            correct[n] = stats[2 + n];
            total[n] = stats[2 + order + n];
        }
        return compute(correct, total, stats[0], stats[1], options);
    }

    /** BLEU of one hypothesis against its references (sacreBLEU's {@code sentence_score}). */
    public static BleuScore sentence(String hypothesis, List<String> references, Options options) {
        return corpus(List.of(hypothesis), references.stream().map(List::of).toList(), options);
    }

    /** [hypLen, closestRefLen, correct_1..correct_N, total_1..total_N] for one segment. */
    static long[] segmentStatistics(String hypothesis, List<String> references, Options options) {
        int order = options.maxOrder();
        Map<String, Integer> refNgrams = new HashMap<>();
        int[] refLens = new int[references.size()];
        for (int r = 0; r < references.size(); r++) {
            List<String> tokens = PythonStrings.split(preprocess(references.get(r), options));
            refLens[r] = tokens.size();
            for (Map.Entry<String, Integer> e : ngrams(tokens, order).entrySet()) {
                refNgrams.merge(e.getKey(), e.getValue(), Math::max);
            }
        }
        List<String> hypTokens = PythonStrings.split(preprocess(hypothesis, options));
        int hypLen = hypTokens.size();
        long[] stats = new long[2 + 2 * order];
        stats[0] = hypLen;
        stats[1] = closestReferenceLength(hypLen, refLens);
        for (Map.Entry<String, Integer> e : ngrams(hypTokens, order).entrySet()) {
            int n = orderOf(e.getKey());
            stats[2 + order + n - 1] += e.getValue();
            Integer refCount = refNgrams.get(e.getKey());
            if (refCount != null) {
                stats[2 + n - 1] += Math.min(e.getValue(), refCount);
            }
        }
        return stats;
    }

    private static String preprocess(String sentence, Options options) {
        String s = options.lowercase() ? sentence.toLowerCase(java.util.Locale.ROOT) : sentence;
        return options.tokenizer().tokenize(PythonStrings.rstrip(s));
    }

    /** The reference length closest to the hypothesis length; the shorter one on ties. */
    static int closestReferenceLength(int hypLen, int[] refLens) {
        int closestDiff = -1;
        int closestLen = -1;
        for (int len : refLens) {
            int diff = Math.abs(hypLen - len);
            if (closestDiff == -1 || diff < closestDiff) {
                closestDiff = diff;
                closestLen = len;
            } else if (diff == closestDiff && len < closestLen) {
                closestLen = len;
            }
        }
        return closestLen;
    }

    /** Counts of all n-grams of orders 1..maxOrder, keyed by their tokens joined with single spaces. */
    private static Map<String, Integer> ngrams(List<String> tokens, int maxOrder) {
        Map<String, Integer> counts = new HashMap<>();
        for (int n = 1; n <= maxOrder; n++) {
            for (int i = 0; i + n <= tokens.size(); i++) {
                counts.merge(String.join(" ", tokens.subList(i, i + n)), 1, Integer::sum);
            }
        }
        return counts;
    }

    private static int orderOf(String ngram) {
        int n = 1;
        for (int i = 0; i < ngram.length(); i++) {
            if (ngram.charAt(i) == ' ') {
                n++;
            }
        }
        return n;
    }

    /**
     * sacreBLEU's {@code compute_bleu}: BLEU from corpus statistics. The arrays are not modified; add-k
     * smoothing works on copies, which the returned score reports.
     */
    public static BleuScore compute(double[] correct, double[] total, long sysLen, long refLen, Options options) {
        int order = options.maxOrder();
        correct = correct.clone();
        total = total.clone();
        double smoothValue = options.smoothValue() != null ? options.smoothValue() : options.smoothing().defaultValue;
        double bp;
        if (sysLen < refLen) {
            bp = sysLen > 0 ? Math.exp(1 - (double) refLen / sysLen) : 0.0;
        } else {
            bp = 1.0;
        }
        double[] precisions = new double[order];
        boolean anyMatch = false;
        for (double c : correct) {
            anyMatch |= c != 0;
        }
        // sacreBLEU returns 0 straight away when nothing matches, whatever the smoothing (its issue #141).
        if (!anyMatch) {
            return new BleuScore(0.0, correct, total, precisions, bp, sysLen, refLen);
        }
        double smoothMteval = 1.0;
        int effOrder = order;
        for (int n = 1; n <= order; n++) {
            if (options.smoothing() == Smoothing.ADD_K && n > 1) {
                correct[n - 1] += smoothValue;
                total[n - 1] += smoothValue;
            }
            if (total[n - 1] == 0) {
                break;
            }
            if (options.effectiveOrder()) {
                effOrder = n;
            }
            if (correct[n - 1] == 0) {
                if (options.smoothing() == Smoothing.EXP) {
                    smoothMteval *= 2;
                    precisions[n - 1] = 100.0 / (smoothMteval * total[n - 1]);
                } else if (options.smoothing() == Smoothing.FLOOR) {
                    precisions[n - 1] = 100.0 * smoothValue / total[n - 1];
                }
            } else {
                precisions[n - 1] = 100.0 * correct[n - 1] / total[n - 1];
            }
        }
        double logSum = 0;
        for (int n = 0; n < effOrder; n++) {
            logSum += floorLog(precisions[n]);
        }
        return new BleuScore(bp * Math.exp(logSum / effOrder), correct, total, precisions, bp, sysLen, refLen);
    }

    /** sacreBLEU's {@code my_log}: log, with log(0) floored to -9999999999. */
    private static double floorLog(double x) {
        return x == 0.0 ? -9999999999.0 : Math.log(x);
    }
}
