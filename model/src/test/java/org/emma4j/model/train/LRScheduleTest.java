package org.emma4j.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.emma4j.kernels.TestTensors;
import org.junit.jupiter.api.Test;

/**
 * Every schedule kind against its float64 formula, written out independently here, at the key steps (first
 * warmup step, end of warmup = peak, first decay step, middle of the decay, last step = min, past the end)
 * and at every step of random-length runs. Both sides compute in double, so agreement is to 1e-12 relative;
 * the landmark values (peak, (peak + min) / 2 at half the cosine, min) are also checked as plain numbers.
 */
class LRScheduleTest {
    private static final double PEAK = 3e-4;
    private static final double MIN = 3e-5;
    private static final double TOL = 1e-12 * PEAK;

    @Test
    void cosineWarmupThenHalfCosineToMin() {
        long warmup = 10;
        long total = 110;
        LRSchedule s = LRSchedule.of("cosine", PEAK, MIN, warmup, 0.1, total);
        assertInstanceOf(LRSchedule.WarmupCosine.class, s);
        assertEquals(PEAK / 10, s.lr(0), TOL, "first warmup step");
        assertEquals(PEAK * 5 / 10, s.lr(4), TOL);
        assertEquals(PEAK, s.lr(9), TOL, "the last warmup step runs at the peak");
        // Decay of 100 steps from step 10: progress (s - 10 + 1) / 100.
        assertEquals(MIN + (PEAK - MIN) * 0.5 * (1 + Math.cos(Math.PI * 0.01)), s.lr(10), TOL, "first decay step");
        assertEquals((PEAK + MIN) / 2, s.lr(59), TOL, "half-way through the cosine");
        assertEquals(MIN, s.lr(109), TOL, "the last step runs at min_lr");
        assertEquals(MIN, s.lr(500), TOL, "past the end stays at min_lr");
    }

    @Test
    void linearWarmupThenStraightLineToMin() {
        LRSchedule s = LRSchedule.of("linear", PEAK, MIN, 4, 0.1, 24);
        assertInstanceOf(LRSchedule.WarmupLinear.class, s);
        assertEquals(PEAK / 4, s.lr(0), TOL);
        assertEquals(PEAK, s.lr(3), TOL);
        assertEquals(PEAK - (PEAK - MIN) / 20, s.lr(4), TOL, "first of 20 decay steps");
        assertEquals((PEAK + MIN) / 2, s.lr(13), TOL, "10 of 20 decay steps");
        assertEquals(MIN, s.lr(23), TOL);
        assertEquals(MIN, s.lr(24), TOL);
    }

    @Test
    void constantAfterWarmup() {
        LRSchedule s = LRSchedule.of("constant", PEAK, MIN, 3, 0.1, 50);
        assertInstanceOf(LRSchedule.Constant.class, s);
        assertEquals(PEAK / 3, s.lr(0), TOL);
        assertEquals(PEAK * 2 / 3, s.lr(1), TOL);
        assertEquals(PEAK, s.lr(2), TOL);
        assertEquals(PEAK, s.lr(49), TOL, "constant ignores min_lr");
        assertEquals(PEAK, LRSchedule.of("constant", PEAK, MIN, 0, 0.1, 50).lr(0), TOL, "no warmup: the peak from the start");
    }

    @Test
    void warmupStableDecay() {
        // 100 steps, warmup 5, decay the last 20% = 20 steps from step 80.
        LRSchedule s = LRSchedule.of("wsd", PEAK, MIN, 5, 0.2, 100);
        var wsd = assertInstanceOf(LRSchedule.WarmupStableDecay.class, s);
        assertEquals(80, wsd.decayStart());
        assertEquals(PEAK / 5, s.lr(0), TOL);
        assertEquals(PEAK, s.lr(4), TOL);
        assertEquals(PEAK, s.lr(5), TOL, "stable phase");
        assertEquals(PEAK, s.lr(79), TOL, "last stable step");
        assertEquals(PEAK - (PEAK - MIN) / 20, s.lr(80), TOL, "first decay step");
        assertEquals((PEAK + MIN) / 2, s.lr(89), TOL);
        assertEquals(MIN, s.lr(99), TOL);
    }

    @Test
    void everyStepOfRandomRunsMatchesTheFormulas() {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int run = 0; run < 50; run++) {
            long total = 1 + rnd.nextInt(300);
            long warmup = rnd.nextInt((int) total + 1);
            double frac = 0.05 + 0.9 * rnd.nextDouble();
            long decay = Math.max(1, Math.round(frac * total));
            boolean wsdFits = warmup + decay <= total;
            for (long step = 0; step < total + 3; step++) {
                double warm = step < warmup ? PEAK * (step + 1) / warmup : Double.NaN;
                double p = Math.min(1.0, (step - warmup + 1) / (double) (total - warmup));
                double cosine = step < warmup ? warm : MIN + (PEAK - MIN) * (1 + Math.cos(Math.PI * p)) / 2;
                double linear = step < warmup ? warm : PEAK + (MIN - PEAK) * p;
                double constant = step < warmup ? warm : PEAK;
                String where = "run " + run + " (" + total + " steps, warmup " + warmup + "), step " + step + "; seed " + seed;
                assertEquals(cosine, LRSchedule.of("cosine", PEAK, MIN, warmup, frac, total).lr(step), TOL, where);
                assertEquals(linear, LRSchedule.of("linear", PEAK, MIN, warmup, frac, total).lr(step), TOL, where);
                assertEquals(constant, LRSchedule.of("constant", PEAK, MIN, warmup, frac, total).lr(step), TOL, where);
                if (wsdFits) {
                    long start = total - decay;
                    double q = Math.min(1.0, (step - start + 1) / (double) decay);
                    double wsd = step < warmup ? warm : step < start ? PEAK : PEAK + (MIN - PEAK) * q;
                    assertEquals(wsd, LRSchedule.of("wsd", PEAK, MIN, warmup, frac, total).lr(step), TOL, where);
                }
                double lr = LRSchedule.of("cosine", PEAK, MIN, warmup, frac, total).lr(step);
                assertTrue(lr > 0 && lr <= PEAK * (1 + 1e-12), where + ": lr " + lr);
            }
        }
    }

    @Test
    void schedulesThatDoNotFitAreRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> LRSchedule.of("cosine", PEAK, MIN, 20, 0.1, 10));
        assertTrue(e.getMessage().contains("warmup_steps (20) exceeds the run's 10 steps"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LRSchedule.of("wsd", PEAK, MIN, 90, 0.2, 100));
        assertTrue(e.getMessage().contains("do not fit"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LRSchedule.of("step", PEAK, MIN, 0, 0.1, 10));
        assertTrue(e.getMessage().contains("cosine, linear, constant, wsd"), e.getMessage());
    }
}
