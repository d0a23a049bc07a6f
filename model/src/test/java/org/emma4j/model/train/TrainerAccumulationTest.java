package org.emma4j.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gradient accumulation is invisible: 4 sequences per step as one micro-batch of 4, two of 2 or four of 1
 * (global batch given in sequences or in tokens) read the same sequences in the same order and give the same
 * run up to float rounding (the micro-batches' sums are added in another order). Per-step losses agree to
 * 1e-5 relative and the total weight change to 1e-4 relative in L2 over four AdamW steps — a loss averaged
 * per micro-batch instead of over the global batch's labelled tokens (the micro-batches hold different
 * numbers of labelled tokens, the data has padded windows) would miss both by orders of magnitude.
 */
class TrainerAccumulationTest {

    @TempDir
    Path dir;

    @Test
    void accumulatedMicroBatchesEqualOneBigBatch() throws Exception {
        TinyRuns.Console console = new TinyRuns.Console();
        String yaml = TinyRuns.config(dir, dir.resolve("unused"));
        Run big = run(yaml, "big", "micro_batch=4", "global_batch_sequences=4");
        Run two = run(yaml, "two", "micro_batch=2", "global_batch_sequences=4");
        Run four = run(yaml, "four", "micro_batch=1", "global_batch_sequences=", "global_batch_tokens=132"); // 4 sequences of 33
        for (Run r : List.of(two, four)) {
            for (int i = 0; i < big.steps.size(); i++) {
                double expected = big.steps.get(i).loss();
                double got = r.steps.get(i).loss();
                assertEquals(expected, got, 1e-5 * Math.abs(expected), r.name + " step " + (i + 1) + " loss");
                assertEquals(big.steps.get(i).gradNorm(), r.steps.get(i).gradNorm(), 1e-4 * big.steps.get(i).gradNorm(),
                        r.name + " step " + (i + 1) + " gradient norm");
            }
            double diff = 0;
            double norm = 0;
            for (int i = 0; i < big.start.length; i++) {
                double db = big.end[i] - big.start[i];
                double dr = r.end[i] - r.start[i];
                diff += (db - dr) * (db - dr);
                norm += db * db;
            }
            assertTrue(norm > 0, "the weights moved");
            assertTrue(Math.sqrt(diff / norm) < 1e-4, r.name + ": relative L2 difference of the weight updates " + Math.sqrt(diff / norm));
            assertEquals(big.start.length, r.start.length);
        }
        assertTrue(console.text().isEmpty());
    }

    private record Run(String name, List<StepRecord> steps, float[] start, float[] end) {
    }

    private Run run(String yaml, String name, String... overrides) throws Exception {
        String[] all = new String[overrides.length + 5];
        System.arraycopy(overrides, 0, all, 0, overrides.length);
        all[overrides.length] = "out_dir=" + dir.resolve(name);
        all[overrides.length + 1] = "max_steps=4";
        all[overrides.length + 2] = "checkpoint.every=0";
        all[overrides.length + 3] = "data.heldout=";
        all[overrides.length + 4] = "seq_len=33"; // every micro-batch ≥ 33 rows: the blocked GEMM path throughout
        TinyRuns.Console console = new TinyRuns.Console();
        try (Trainer t = Trainer.start(TinyRuns.parse(yaml, all), console.out)) {
            float[] start = floats(TinyRuns.bits(t));
            List<StepRecord> steps = t.run(Long.MAX_VALUE).steps();
            return new Run(name, steps, start, floats(TinyRuns.bits(t)));
        }
    }

    private static float[] floats(int[] bits) {
        float[] f = new float[bits.length];
        for (int i = 0; i < bits.length; i++) {
            f[i] = Float.intBitsToFloat(bits[i]);
        }
        return f;
    }
}
