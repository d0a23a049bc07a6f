package org.emma4j.model.data.prepare;

import java.util.SplittableRandom;
import org.emma4j.model.data.LongList;

/**
 * Realises a language's token target t with its training documents (n tokens): every document
 * floor(t / n) times, then for the fraction left a seeded random subset: documents in a seeded order are
 * taken while the running total plus half the next document stays within the remainder, and the first that
 * does not fit ends it. So the realised tokens are within half a document of t (or all of them, when the
 * remainder is within half a document of n).
 */
final class EpochSelection {
    private EpochSelection() {
    }

    /** Appends the chosen document ids to {@code instances}; returns the tokens chosen. */
    static long select(int[] docs, int[] lengths, long n, double target, long seed, LongList instances) {
        if (docs.length == 0 || target <= 0) {
            return 0;
        }
        long full = (long) Math.floor(target / n);
        double remainder = target - (double) full * n;
        long tokens = full * n;
        for (long k = 0; k < full; k++) {
            for (int d : docs) {
                instances.add(d);
            }
        }
        if (remainder > 0) {
            int[] order = docs.clone();
            int[] len = lengths.clone();
            SplittableRandom rnd = new SplittableRandom(seed);
            double taken = 0;
            for (int i = 0; i < order.length; i++) {
                int j = i + rnd.nextInt(order.length - i);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
                t = len[i];
                len[i] = len[j];
                len[j] = t;
                if (taken + len[i] / 2.0 > remainder) {
                    break;
                }
                instances.add(order[i]);
                taken += len[i];
            }
            tokens += (long) taken;
        }
        return tokens;
    }
}
