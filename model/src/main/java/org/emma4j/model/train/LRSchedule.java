package org.emma4j.model.train;

import java.util.List;

/**
 * The learning rate of every optimizer step. Steps count from 0: {@code lr(0)} is the rate of the first
 * update, {@code lr(total - 1)} that of the last.
 *
 * <p>Every schedule starts with a linear warmup of W steps, {@code lr(s) = peak · (s + 1) / W} for s &lt; W,
 * so the first update already moves (a rate of 0 would waste it) and step W − 1 runs at the peak. A decay
 * phase of D steps starting at step S then follows {@code p = (s − S + 1) / D} from just above 0 to exactly
 * 1 at the last step, so the last update runs at {@code min}; steps past the end stay at {@code min}.
 */
public sealed interface LRSchedule {

    /** The kinds a config may name. */
    List<String> KINDS = List.of("cosine", "linear", "constant", "wsd");

    /** The learning rate of update number {@code step} (0-based). */
    double lr(long step);

    /**
     * The schedule a config asks for, over {@code totalSteps} steps.
     *
     * @param decayFraction wsd only: the share of all steps spent decaying
     */
    static LRSchedule of(String kind, double peak, double min, long warmupSteps, double decayFraction, long totalSteps) {
        if (warmupSteps > totalSteps) {
            throw new IllegalArgumentException("schedule.warmup_steps (" + warmupSteps + ") exceeds the run's " + totalSteps + " steps");
        }
        return switch (kind) {
            case "cosine" -> new WarmupCosine(peak, min, warmupSteps, totalSteps);
            case "linear" -> new WarmupLinear(peak, min, warmupSteps, totalSteps);
            case "constant" -> new Constant(peak, warmupSteps);
            case "wsd" -> {
                long decay = Math.max(1, Math.round(decayFraction * totalSteps));
                if (warmupSteps + decay > totalSteps) {
                    throw new IllegalArgumentException("schedule: warmup (" + warmupSteps + " steps) and decay (" + decay + " steps = "
                            + decayFraction + " of " + totalSteps + ") do not fit in the run's " + totalSteps + " steps");
                }
                yield new WarmupStableDecay(peak, min, warmupSteps, totalSteps - decay, totalSteps);
            }
            default -> throw new IllegalArgumentException("schedule.kind must be one of " + String.join(", ", KINDS) + ", found '" + kind + "'");
        };
    }

    /** The warmup ramp at {@code step} (&lt; warmupSteps). */
    private static double warmup(double peak, long step, long warmupSteps) {
        return peak * (step + 1) / warmupSteps;
    }

    /** Decay progress in (0, 1] of {@code step} in a phase of {@code length} steps starting at {@code start}; 1 past the end. */
    private static double progress(long step, long start, long length) {
        return Math.min(1.0, (double) (step - start + 1) / length);
    }

    /** Warmup, then the peak for ever. */
    record Constant(double peak, long warmupSteps) implements LRSchedule {
        @Override
        public double lr(long step) {
            return step < warmupSteps ? warmup(peak, step, warmupSteps) : peak;
        }
    }

    /** Warmup, then half a cosine from the peak down to min at the last step. */
    record WarmupCosine(double peak, double min, long warmupSteps, long totalSteps) implements LRSchedule {
        @Override
        public double lr(long step) {
            if (step < warmupSteps) {
                return warmup(peak, step, warmupSteps);
            }
            double p = progress(step, warmupSteps, totalSteps - warmupSteps);
            return min + (peak - min) * 0.5 * (1 + Math.cos(Math.PI * p));
        }
    }

    /** Warmup, then a straight line from the peak down to min at the last step. */
    record WarmupLinear(double peak, double min, long warmupSteps, long totalSteps) implements LRSchedule {
        @Override
        public double lr(long step) {
            if (step < warmupSteps) {
                return warmup(peak, step, warmupSteps);
            }
            double p = progress(step, warmupSteps, totalSteps - warmupSteps);
            return peak - (peak - min) * p;
        }
    }

    /**
     * Warmup-stable-decay: warmup, the peak until {@code decayStart}, then a straight line down to min at the
     * last step (MiniCPM's schedule; checkpoints taken in the stable phase can be decayed later).
     */
    record WarmupStableDecay(double peak, double min, long warmupSteps, long decayStart, long totalSteps) implements LRSchedule {
        @Override
        public double lr(long step) {
            if (step < warmupSteps) {
                return warmup(peak, step, warmupSteps);
            }
            if (step < decayStart) {
                return peak;
            }
            double p = progress(step, decayStart, totalSteps - decayStart);
            return peak - (peak - min) * p;
        }
    }
}
