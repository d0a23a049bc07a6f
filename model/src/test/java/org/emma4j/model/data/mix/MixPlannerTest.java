package org.emma4j.model.data.mix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.emma4j.kernels.TestTensors;
import org.junit.jupiter.api.Test;

/** Source targets and temperature sampling with epoch caps (water-filling), on random sizes. */
class MixPlannerTest {
    private static SourceConfig source(String name, Double weight, Long tokens, double alpha, Double maxEpochs) {
        return new SourceConfig(name, SourceType.MONOLINGUAL, List.of(Path.of("x")), weight, tokens, alpha, maxEpochs, "text", "lang",
                "input_ids", null, TextUnit.PARAGRAPH, null, PairDirection.AS_GIVEN, false, null, null);
    }

    private static MixConfig config(Long total, SourceConfig... sources) {
        return new MixConfig(1, 8, BosPolicy.SEQUENCE_START, TokenDType.UINT32, total, 1 << 20, HeldoutConfig.NONE, List.of(sources));
    }

    @Test
    void temperatureTargetsObeyTheRuleOnRandomSizes() {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int trial = 0; trial < 2000; trial++) {
            int langs = 1 + rnd.nextInt(40);
            long[] n = new long[langs];
            for (int l = 0; l < langs; l++) {
                n[l] = 1 + (long) Math.pow(10, rnd.nextDouble() * 7);
            }
            double alpha = rnd.nextDouble();
            Double cap = rnd.nextBoolean() ? null : 0.5 + 5 * rnd.nextDouble();
            double total = 0;
            for (long v : n) {
                total += v;
            }
            double target = total * rnd.nextDouble() * 3;
            double[] t = MixPlanner.languageTargets(n, alpha, cap, target);
            double sum = 0;
            boolean anyCapped = false;
            double ratio = -1;
            for (int l = 0; l < langs; l++) {
                sum += t[l];
                double q = Math.pow(n[l], alpha);
                boolean capped = cap != null && Math.abs(t[l] - cap * n[l]) <= 1e-9 * cap * n[l];
                assertTrue(cap == null || t[l] <= cap * n[l] * (1 + 1e-12), "seed " + seed + ": over the cap");
                if (capped) {
                    anyCapped = true;
                } else {
                    // Every uncapped language gets the same multiple of n^alpha (relative 1e-9: float sums).
                    if (ratio < 0) {
                        ratio = t[l] / q;
                    }
                    assertEquals(ratio, t[l] / q, 1e-9 * ratio, "seed " + seed + " trial " + trial);
                }
            }
            for (int l = 0; l < langs && ratio >= 0; l++) {
                // A capped language would have wanted at least its cap at the common ratio.
                if (cap != null && Math.abs(t[l] - cap * n[l]) <= 1e-9 * cap * n[l]) {
                    assertTrue(ratio * Math.pow(n[l], alpha) >= cap * n[l] * (1 - 1e-9), "seed " + seed + ": capped too early");
                }
            }
            if (ratio >= 0) {
                assertEquals(target, sum, 1e-9 * Math.max(1, target), "seed " + seed + ": targets must sum to the source's");
            } else {
                assertTrue(anyCapped && sum <= target * (1 + 1e-12), "seed " + seed);
            }
        }
    }

    @Test
    void alphaZeroIsUniformAndAlphaOneIsProportional() {
        long[] n = {1000, 100, 10};
        double[] uniform = MixPlanner.languageTargets(n, 0, null, 300);
        for (double t : uniform) {
            assertEquals(100, t, 1e-9);
        }
        double[] natural = MixPlanner.languageTargets(n, 1, null, 1110);
        assertEquals(1000, natural[0], 1e-9);
        assertEquals(100, natural[1], 1e-9);
        assertEquals(10, natural[2], 1e-9);
        // alpha 0.5: weights 31.6 : 10 : 3.16; the smallest is capped at 2 epochs (20), the rest shared 31.6 : 10.
        double[] capped = MixPlanner.languageTargets(n, 0.5, 2.0, 420);
        assertEquals(20, capped[2], 1e-9);
        assertEquals(400 * Math.sqrt(1000) / (Math.sqrt(1000) + Math.sqrt(100)), capped[0], 1e-9);
        assertEquals(400 * Math.sqrt(100) / (Math.sqrt(1000) + Math.sqrt(100)), capped[1], 1e-9);
    }

    @Test
    void weightsShareTheNaturalSizeOrTheTotalAndBudgetsAreExact() {
        // Natural size: a has 1000 tokens at share 1/4, b 9000 at 3/4; 1000 / (1/4) = 4000 < 9000 / (3/4) = 12000.
        MixPlanner.Plan p = MixPlanner.plan(config(null, source("a", 1.0, null, 1, null), source("b", 3.0, null, 1, null)),
                List.of(new long[] {600, 400}, new long[] {9000}));
        assertEquals(1000, p.sourceTargets()[0], 1e-9);
        assertEquals(3000, p.sourceTargets()[1], 1e-9);
        assertEquals(600, p.groupTargets().get(0)[0], 1e-9);
        MixPlanner.Plan q = MixPlanner.plan(config(10000L, source("a", 1.0, null, 1, null), source("c", null, 2000L, 1, null),
                source("b", 3.0, null, 1, null)), List.of(new long[] {1000}, new long[] {50}, new long[] {9000}));
        assertEquals(2000, q.sourceTargets()[0], 1e-9);
        assertEquals(2000, q.sourceTargets()[1], 1e-9);
        assertEquals(6000, q.sourceTargets()[2], 1e-9);
        assertEquals(1.0, q.probabilities().get(2)[0], 1e-12);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MixPlanner.plan(config(null, source("empty", 1.0, null, 1, null)), List.of(new long[0])));
        assertTrue(e.getMessage().contains("source empty has no training documents"), e.getMessage());
    }
}
