package org.emma4j.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.emma4j.kernels.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Steps whose loss or gradient norm is NaN/Inf are not applied; the run says so, and stops after max_bad_steps of them. */
class TrainerBadStepsTest {

    @TempDir
    Path dir;

    @Test
    void stopsAfterMaxBadStepsWithoutApplyingThem() throws Exception {
        TinyRuns.Console console = new TinyRuns.Console();
        Path out = dir.resolve("nan");
        TrainConfig c = TinyRuns.parse(TinyRuns.config(dir, out), "max_bad_steps=2", "checkpoint.every=0", "eval.every=0");
        try (Trainer t = Trainer.start(c, console.out)) {
            Tensor norm = t.master().norm();
            float[] poisoned = t.backend().toFloats(norm);
            poisoned[5] = Float.NaN; // every forward pass now ends in NaN logits
            t.backend().fromFloats(norm, poisoned);
            int[] before = TinyRuns.bits(t);
            var e = assertThrows(TrainingStoppedException.class, () -> t.run(Long.MAX_VALUE));
            assertTrue(e.getMessage().startsWith("stopping at step 3: 3 steps had a non-finite loss or gradient norm"), e.getMessage());
            assertTrue(e.getMessage().contains("more than max_bad_steps = 2; no update of these steps was applied. Last good checkpoint: none"),
                    e.getMessage());
            assertArrayEquals(before, TinyRuns.bits(t), "no weight changed");
            assertEquals(0, t.adam().steps());
            assertEquals(3, t.step());
        }
        List<String> lines = Files.readAllLines(out.resolve(TrainingLog.FILE));
        assertEquals(3, lines.size());
        assertTrue(lines.stream().allMatch(l -> l.contains("\"applied\":false") && l.contains("\"loss\":\"NaN\"")), lines.toString());
        assertTrue(console.text().contains("step 2 skipped"), console.text());
    }

    @Test
    void aToleratedBadStepIsSkippedAndTrainingGoesOn() throws Exception {
        TinyRuns.Console console = new TinyRuns.Console();
        TrainConfig c = TinyRuns.parse(TinyRuns.config(dir, dir.resolve("one")), "max_bad_steps=1", "checkpoint.every=0", "eval.every=0");
        try (Trainer t = Trainer.start(c, console.out)) {
            t.run(1);
            Tensor embed = t.master().embedTokens();
            float[] good = t.backend().toFloats(embed);
            float[] bad = good.clone();
            bad[0] = Float.POSITIVE_INFINITY;
            t.backend().fromFloats(embed, bad);
            int[] poisoned = TinyRuns.bits(t);
            // The infinite entry reaches the loss only when token 0 is read; run until one step is skipped.
            Trainer.Summary s = t.run(t.step() + 1);
            while (s.steps().getLast().applied() && t.step() < 5) {
                poisoned = TinyRuns.bits(t);
                s = t.run(t.step() + 1);
            }
            StepRecord skipped = s.steps().getLast();
            assertFalse(skipped.applied(), "a step with token 0 must see the infinity");
            assertArrayEquals(poisoned, TinyRuns.bits(t), "the skipped step changed nothing");
            long appliedBefore = t.adam().steps();
            float[] repaired = t.backend().toFloats(embed);
            repaired[0] = good[0];
            t.backend().fromFloats(embed, repaired);
            Trainer.Summary rest = t.run(Long.MAX_VALUE);
            assertTrue(rest.finished());
            assertTrue(rest.steps().stream().allMatch(StepRecord::applied));
            assertEquals(appliedBefore + rest.steps().size(), t.adam().steps(), "training goes on after a tolerated bad step");
        }
        assertTrue(console.text().contains("skipped (loss"), console.text());
        assertTrue(console.text().contains("1 of max_bad_steps = 1 tolerated so far"), console.text());
    }
}
