package org.emma4j.model.eval.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * ROUGE-N, ROUGE-L and ROUGE-Lsum exactly as Google's rouge-score package defines them
 * (rouge/rouge_scorer.py): ROUGE-N from clipped n-gram overlap (precision over the prediction's n-grams,
 * recall over the target's, each denominator at least 1); ROUGE-L from the longest common subsequence of the
 * token lists (0 when either is empty); ROUGE-Lsum from the summary-level union LCS over newline-separated
 * sentences, with ROUGE-1.5.5's guard against counting a token twice.
 *
 * <p>Corpus scores ({@link #corpusMean}) are the plain mean of the per-pair scores, not rouge-score's
 * {@code BootstrapAggregator} (whose "mid" is that same mean, plus a resampled confidence interval); with
 * several references a pair takes the reference whose F-measure is highest ({@code score_multi}).
 */
public final class Rouge {

    /** The ROUGE variants. */
    public enum Type {
        ROUGE1("rouge1"), ROUGE2("rouge2"), ROUGE_L("rougeL"), ROUGE_LSUM("rougeLsum");

        private final String label;

        Type(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        public static Type parse(String s) {
            for (Type t : values()) {
                if (t.label.equals(s)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown ROUGE type '" + s + "'; expected rouge1, rouge2, rougeL or rougeLsum");
        }
    }

    private final Type type;
    private final RougeTokenizer tokenizer;

    public Rouge(Type type, RougeTokenizer tokenizer) {
        this.type = type;
        this.tokenizer = tokenizer;
    }

    /** The score of {@code prediction} against {@code target}. */
    public RougeScore score(String target, String prediction) {
        return switch (type) {
            case ROUGE1 -> ngramScore(tokenizer.tokenize(target), tokenizer.tokenize(prediction), 1);
            case ROUGE2 -> ngramScore(tokenizer.tokenize(target), tokenizer.tokenize(prediction), 2);
            case ROUGE_L -> lcsScore(tokenizer.tokenize(target), tokenizer.tokenize(prediction));
            case ROUGE_LSUM -> summaryLevelLcs(sentences(target), sentences(prediction));
        };
    }

    /** The best score over several targets, by F-measure (rouge-score's {@code score_multi}). */
    public RougeScore scoreMulti(List<String> targets, String prediction) {
        RougeScore best = null;
        for (String t : targets) {
            RougeScore s = score(t, prediction);
            if (best == null || s.fmeasure() > best.fmeasure()) {
                best = s;
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("ROUGE needs at least one target");
        }
        return best;
    }

    /** The mean precision, recall and F-measure over all pairs (references: streams, one line per prediction). */
    public RougeScore corpusMean(List<String> predictions, List<List<String>> referenceStreams) {
        ReferenceStreams.check(predictions, referenceStreams);
        if (predictions.isEmpty()) {
            throw new IllegalArgumentException("ROUGE of an empty corpus is undefined");
        }
        double p = 0;
        double r = 0;
        double f = 0;
        for (int i = 0; i < predictions.size(); i++) {
            RougeScore s = scoreMulti(ReferenceStreams.segment(referenceStreams, i), predictions.get(i));
            p += s.precision();
            r += s.recall();
            f += s.fmeasure();
        }
        int n = predictions.size();
        return new RougeScore(p / n, r / n, f / n);
    }

    private List<List<String>> sentences(String text) {
        List<List<String>> out = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            if (!line.isEmpty()) {
                out.add(tokenizer.tokenize(line));
            }
        }
        return out;
    }

    static RougeScore ngramScore(List<String> target, List<String> prediction, int n) {
        Map<List<String>, Integer> t = ngrams(target, n);
        Map<List<String>, Integer> p = ngrams(prediction, n);
        int overlap = 0;
        for (Map.Entry<List<String>, Integer> e : t.entrySet()) {
            overlap += Math.min(e.getValue(), p.getOrDefault(e.getKey(), 0));
        }
        int tCount = Math.max(0, target.size() - n + 1);
        int pCount = Math.max(0, prediction.size() - n + 1);
        return RougeScore.of((double) overlap / Math.max(pCount, 1), (double) overlap / Math.max(tCount, 1));
    }

    private static Map<List<String>, Integer> ngrams(List<String> tokens, int n) {
        Map<List<String>, Integer> counts = new HashMap<>();
        for (int i = 0; i + n <= tokens.size(); i++) {
            counts.merge(List.copyOf(tokens.subList(i, i + n)), 1, Integer::sum);
        }
        return counts;
    }

    static RougeScore lcsScore(List<String> target, List<String> prediction) {
        if (target.isEmpty() || prediction.isEmpty()) {
            return RougeScore.ZERO;
        }
        int lcs = lcsTable(target, prediction)[target.size()][prediction.size()];
        return RougeScore.of((double) lcs / prediction.size(), (double) lcs / target.size());
    }

    static int[][] lcsTable(List<?> ref, List<?> can) {
        int[][] t = new int[ref.size() + 1][can.size() + 1];
        for (int i = 1; i <= ref.size(); i++) {
            for (int j = 1; j <= can.size(); j++) {
                t[i][j] = ref.get(i - 1).equals(can.get(j - 1)) ? t[i - 1][j - 1] + 1 : Math.max(t[i - 1][j], t[i][j - 1]);
            }
        }
        return t;
    }

    /** rouge-score's {@code _backtrack_norec}: the indices into {@code ref} of one longest common subsequence. */
    static List<Integer> lcsIndices(List<?> ref, List<?> can) {
        int[][] t = lcsTable(ref, can);
        List<Integer> out = new ArrayList<>();
        int i = ref.size();
        int j = can.size();
        while (i > 0 && j > 0) {
            if (ref.get(i - 1).equals(can.get(j - 1))) {
                out.add(0, i - 1);
                i--;
                j--;
            } else if (t[i][j - 1] > t[i - 1][j]) {
                j--;
            } else {
                i--;
            }
        }
        return out;
    }

    /** The tokens of {@code ref} in the union of its LCS with each candidate sentence, in reference order. */
    static <T> List<T> unionLcs(List<T> ref, List<? extends List<T>> candidates) {
        TreeSet<Integer> union = new TreeSet<>();
        for (List<T> c : candidates) {
            union.addAll(lcsIndices(ref, c));
        }
        List<T> out = new ArrayList<>();
        for (int i : union) {
            out.add(ref.get(i));
        }
        return out;
    }

    static RougeScore summaryLevelLcs(List<List<String>> refSents, List<List<String>> canSents) {
        if (refSents.isEmpty() || canSents.isEmpty()) {
            return RougeScore.ZERO;
        }
        int m = refSents.stream().mapToInt(List::size).sum();
        int n = canSents.stream().mapToInt(List::size).sum();
        if (m == 0 || n == 0) {
            return RougeScore.ZERO;
        }
        Map<String, Integer> refCounts = new HashMap<>();
        Map<String, Integer> canCounts = new HashMap<>();
        refSents.forEach(s -> s.forEach(t -> refCounts.merge(t, 1, Integer::sum)));
        canSents.forEach(s -> s.forEach(t -> canCounts.merge(t, 1, Integer::sum)));
        int hits = 0;
        for (List<String> r : refSents) {
            for (String t : unionLcs(r, canSents)) {
                if (canCounts.getOrDefault(t, 0) > 0 && refCounts.getOrDefault(t, 0) > 0) {
                    hits++;
                    canCounts.merge(t, -1, Integer::sum);
                    refCounts.merge(t, -1, Integer::sum);
                }
            }
        }
        return RougeScore.of((double) hits / n, (double) hits / m);
    }
}
