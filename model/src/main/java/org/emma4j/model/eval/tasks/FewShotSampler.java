package org.emma4j.model.eval.tasks;

import java.util.SplittableRandom;

/**
 * Seeded choice of few-shot examples. Each test example gets its own generator, derived from the run's seed
 * and the example's index, so a prompt does not depend on which other examples were scored (--limit) or in
 * what order. The paper's scripts draw per-example seeds from Python's random and sample with pandas; these
 * draws are not the same numbers, only the same scheme.
 */
public final class FewShotSampler {
    private FewShotSampler() {
    }

    private static SplittableRandom generator(long seed, int example) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + example).split();
    }

    /** {@code k} indices into a pool of {@code pool}, drawn with replacement (FLORES: Python's randint). */
    public static int[] withReplacement(long seed, int example, int k, int pool) {
        if (k > 0 && pool == 0) {
            throw new IllegalArgumentException("no examples to draw " + k + " shots from");
        }
        SplittableRandom rnd = generator(seed, example);
        int[] out = new int[k];
        for (int i = 0; i < k; i++) {
            out[i] = rnd.nextInt(pool);
        }
        return out;
    }

    /**
     * {@code k} distinct indices into a pool of {@code pool}, never {@code exclude} (the test example itself
     * when shots come from the test set; -1 for none), in draw order.
     */
    public static int[] withoutReplacement(long seed, int example, int k, int pool, int exclude) {
        int available = pool - (exclude >= 0 && exclude < pool ? 1 : 0);
        if (k > available) {
            throw new IllegalArgumentException("cannot draw " + k + " distinct shots from " + available + " examples");
        }
        SplittableRandom rnd = generator(seed, example);
        int[] order = new int[pool];
        for (int i = 0; i < pool; i++) {
            order[i] = i;
        }
        int[] out = new int[k];
        int taken = 0;
        for (int i = 0; i < pool && taken < k; i++) {
            int j = i + rnd.nextInt(pool - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
            if (order[i] != exclude) {
                out[taken++] = order[i];
            }
        }
        return out;
    }
}
