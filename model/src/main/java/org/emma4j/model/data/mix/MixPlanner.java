package org.emma4j.model.data.mix;

import java.util.ArrayList;
import java.util.List;

/**
 * How many training tokens each source and each language of a source gets.
 *
 * <p>Sources: a source with {@code tokens} gets that budget. The weighted sources share the rest: with
 * {@code total_tokens}, {@code total_tokens} minus the budgets; without it, the natural size
 * {@code min_s N_s / share_s} over the weighted sources (N_s = the source's training tokens, share_s =
 * its weight over the sum of weights), at which the scarcest weighted source is used exactly once over.
 *
 * <p>Languages within a source: temperature sampling, p_l = n_l^alpha / sum_k n_k^alpha, so language l's
 * target is p_l x T_s; a language whose target would exceed {@code max_epochs} x n_l is capped there and
 * the excess is shared among the uncapped languages by the same rule (water-filling) until no target
 * exceeds its cap. When every language is capped the source gets less than T_s (the stats show it).
 */
public final class MixPlanner {
    /**
     * @param sourceTargets T_s per source (what it was asked for)
     * @param groupTargets t_l per source and language (what the languages are given; sums to T_s unless capped)
     * @param probabilities p_l per source and language, before capping
     */
    public record Plan(double[] sourceTargets, List<double[]> groupTargets, List<double[]> probabilities) {
    }

    private MixPlanner() {
    }

    /** {@code groupTokens.get(s)[l]}: training tokens of language l of source s. */
    public static Plan plan(MixConfig config, List<long[]> groupTokens) {
        List<SourceConfig> sources = config.sources();
        if (groupTokens.size() != sources.size()) {
            throw new IllegalArgumentException(sources.size() + " sources but sizes for " + groupTokens.size());
        }
        double[] size = new double[sources.size()];
        for (int s = 0; s < sources.size(); s++) {
            for (long n : groupTokens.get(s)) {
                size[s] += n;
            }
            if (size[s] == 0) {
                throw new IllegalArgumentException("source " + sources.get(s).name() + " has no training documents"
                        + " (all excluded, skipped or held out)");
            }
        }
        double weightSum = 0;
        double budgets = 0;
        for (SourceConfig s : sources) {
            if (s.weight() != null) {
                weightSum += s.weight();
            } else {
                budgets += s.tokens();
            }
        }
        double weighted = 0;
        if (weightSum > 0) {
            if (config.totalTokens() != null) {
                weighted = config.totalTokens() - budgets;
            } else {
                weighted = Double.POSITIVE_INFINITY;
                for (int s = 0; s < sources.size(); s++) {
                    if (sources.get(s).weight() != null) {
                        weighted = Math.min(weighted, size[s] / (sources.get(s).weight() / weightSum));
                    }
                }
            }
        }
        double[] targets = new double[sources.size()];
        List<double[]> groups = new ArrayList<>();
        List<double[]> probs = new ArrayList<>();
        for (int s = 0; s < sources.size(); s++) {
            SourceConfig source = sources.get(s);
            targets[s] = source.weight() != null ? weighted * source.weight() / weightSum : source.tokens();
            long[] n = groupTokens.get(s);
            probs.add(probabilities(n, source.alpha()));
            groups.add(languageTargets(n, source.alpha(), source.maxEpochs(), targets[s]));
        }
        return new Plan(targets, groups, probs);
    }

    /** p_l proportional to n_l^alpha (languages with no tokens get 0). */
    public static double[] probabilities(long[] n, double alpha) {
        double[] p = new double[n.length];
        double sum = 0;
        for (int l = 0; l < n.length; l++) {
            p[l] = n[l] > 0 ? Math.pow(n[l], alpha) : 0;
            sum += p[l];
        }
        for (int l = 0; l < n.length; l++) {
            p[l] /= sum;
        }
        return p;
    }

    /** Water-filling of {@code target} over languages of sizes {@code n} with caps of maxEpochs x n_l. */
    public static double[] languageTargets(long[] n, double alpha, Double maxEpochs, double target) {
        double[] q = new double[n.length];
        for (int l = 0; l < n.length; l++) {
            q[l] = n[l] > 0 ? Math.pow(n[l], alpha) : 0;
        }
        double[] t = new double[n.length];
        boolean[] capped = new boolean[n.length];
        double remaining = target;
        while (true) {
            double sum = 0;
            for (int l = 0; l < n.length; l++) {
                if (!capped[l]) {
                    sum += q[l];
                }
            }
            if (sum == 0) {
                return t;
            }
            boolean newlyCapped = false;
            for (int l = 0; l < n.length; l++) {
                if (!capped[l]) {
                    t[l] = remaining * q[l] / sum;
                    if (maxEpochs != null && t[l] > maxEpochs * n[l]) {
                        newlyCapped = true;
                    }
                }
            }
            if (!newlyCapped) {
                return t;
            }
            for (int l = 0; l < n.length; l++) {
                if (!capped[l] && t[l] > maxEpochs * n[l]) {
                    capped[l] = true;
                    t[l] = maxEpochs * n[l];
                    remaining -= t[l];
                }
            }
        }
    }
}
