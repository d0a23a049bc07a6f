package org.emma4j.model.llama;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Picks tokens from logits by {@link SamplingParams}; deterministic for a given seed. */
public final class Sampler {
    private final SamplingParams params;
    private final SplittableRandom random;

    public Sampler(SamplingParams params) {
        this.params = params;
        this.random = new SplittableRandom(params.seed());
    }

    /** The index of the largest logit (the first on ties); NaN logits are never chosen. */
    public static int argmax(float[] logits) {
        int best = -1;
        float bestValue = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < logits.length; i++) {
            if (logits[i] > bestValue || (best < 0 && !Float.isNaN(logits[i]))) {
                best = i;
                bestValue = logits[i];
            }
        }
        if (best < 0) {
            throw new IllegalStateException("every logit is NaN: the model produced no usable distribution");
        }
        return best;
    }

    public int sample(float[] logits) {
        if (params.isGreedy()) {
            return argmax(logits);
        }
        int n = logits.length;
        // Candidate indices sorted by logit, descending; only the top-k are needed when k is set.
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(logits[b], logits[a]));
        int keep = params.topK() > 0 ? Math.min(params.topK(), n) : n;
        double max = logits[order[0]];
        double[] probs = new double[keep];
        double sum = 0;
        for (int i = 0; i < keep; i++) {
            probs[i] = Math.exp((logits[order[i]] - max) / params.temperature());
            sum += probs[i];
        }
        // Top-p: the smallest prefix whose probability mass reaches p.
        double cumulative = 0;
        int cut = keep;
        for (int i = 0; i < keep; i++) {
            cumulative += probs[i] / sum;
            if (cumulative >= params.topP()) {
                cut = i + 1;
                break;
            }
        }
        double mass = 0;
        for (int i = 0; i < cut; i++) {
            mass += probs[i];
        }
        double r = random.nextDouble() * mass;
        for (int i = 0; i < cut; i++) {
            r -= probs[i];
            if (r < 0) {
                return order[i];
            }
        }
        return order[cut - 1];
    }
}
