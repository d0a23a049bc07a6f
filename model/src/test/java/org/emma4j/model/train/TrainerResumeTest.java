package org.emma4j.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.emma4j.kernels.Tensor;
import org.emma4j.model.checkpoint.LlamaCheckpoint;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill and resume: a run stopped after step 3 (its last checkpoint at step 2) and resumed from what it left
 * on disk must produce, bit for bit, the losses, gradient norms and final weights of the same run never
 * interrupted — exact equality, no tolerance, since the CPU kernels are deterministic for a fixed thread
 * count and the checkpoint restores every piece of state exactly (F32 masters even when the model files are
 * BF16). Also: a half-written temporary checkpoint and an incomplete step directory are ignored, pruning
 * keeps the newest K, and the log reads as one run.
 */
class TrainerResumeTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"fp32", "bf16"})
    void resumedRunEqualsUninterruptedRunBitForBit(String precision) throws Exception {
        TinyRuns.Console console = new TinyRuns.Console();
        Path outA = dir.resolve("a");
        Path outB = dir.resolve("b");
        TrainConfig a = TinyRuns.parse(TinyRuns.config(dir, outA), "precision=" + precision);
        TrainConfig b = TinyRuns.parse(TinyRuns.config(dir, outB), "precision=" + precision);
        assertEquals(precision.equals("bf16") ? "bf16" : "f32", b.checkpoint().dtype());

        Trainer.Summary whole;
        int[] finalA;
        try (Trainer t = Trainer.start(a, console.out)) {
            whole = t.run(Long.MAX_VALUE);
            finalA = TinyRuns.bits(t);
        }
        assertTrue(whole.finished());
        assertEquals(6, whole.steps().size());
        assertTrue(whole.steps().getLast().loss() < whole.steps().getFirst().loss(), "the tiny model learns: " + whole.steps());

        try (Trainer t = Trainer.start(b, console.out)) {
            Trainer.Summary first = t.run(3); // the "kill": the process ends after step 3, past the checkpoint of step 2
            assertFalse(first.finished());
            assertEquals(3, first.steps().size());
        }
        Path ckpts = outB.resolve(CheckpointStore.DIRECTORY);
        // Leftovers of a kill during the next checkpoint's write, and a step directory missing its state file.
        Path torn = Files.createDirectories(ckpts.resolve(".step-00000004.tmp-5eed"));
        Files.writeString(torn.resolve("config.json"), "{\"half\": ");
        Files.createDirectories(ckpts.resolve("step-00000005"));
        Files.writeString(ckpts.resolve("step-00000005").resolve("config.json"), "{}");

        Path resumeFrom = CheckpointStore.resolveResume(outB);
        assertEquals("step-00000002", resumeFrom.getFileName().toString(), "the newest complete checkpoint");
        Trainer.Summary rest;
        int[] finalB;
        try (Trainer t = Trainer.resume(Trainer.savedConfig(resumeFrom, List.of()), resumeFrom, console.out)) {
            assertEquals(2, t.step());
            assertEquals(2, t.adam().steps());
            rest = t.run(Long.MAX_VALUE);
            finalB = TinyRuns.bits(t);
        }
        assertEquals(4, rest.steps().size(), "steps 3 to 6 after resuming at 2");
        for (StepRecord r : rest.steps()) {
            StepRecord w = whole.steps().get((int) r.step() - 1);
            assertEquals(w.step(), r.step());
            assertEquals(Double.doubleToRawLongBits(w.loss()), Double.doubleToRawLongBits(r.loss()),
                    "loss of step " + r.step() + ": uninterrupted " + w.loss() + ", resumed " + r.loss());
            assertEquals(Double.doubleToRawLongBits(w.gradNorm()), Double.doubleToRawLongBits(r.gradNorm()), "grad norm of step " + r.step());
            assertEquals(w.lr(), r.lr(), 0.0, "learning rate of step " + r.step());
            assertEquals(w.tokensSeen(), r.tokensSeen());
        }
        assertEquals(whole.evals().getLast().loss(), rest.evals().getLast().loss(), 0.0, "held-out loss at the end");
        assertArrayEquals(finalA, finalB, "final master weights");

        // Pruning kept the newest two complete checkpoints; the torn temporary directory is gone.
        assertFalse(Files.exists(torn));
        assertEquals(List.of("step-00000004", "step-00000006"),
                new CheckpointStore(outB).complete().stream().map(p -> p.getFileName().toString()).toList());
        assertEquals("step-00000006", Files.readString(ckpts.resolve(CheckpointStore.LATEST)).trim());
        // The log holds steps 1..6 once each (step 3, redone after the resume, is not duplicated) and evals at 3 and 6.
        List<String> lines = Files.readAllLines(outB.resolve(TrainingLog.FILE));
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), lines.stream().filter(l -> l.contains("\"train\"")).map(TrainerResumeTest::step).toList());
        assertEquals(List.of(3L, 6L), lines.stream().filter(l -> l.contains("\"eval\"")).map(TrainerResumeTest::step).toList());
        assertTrue(Files.size(outB.resolve(LossCurvePlot.FILE)) > 1000);
    }

    private static long step(String jsonLine) {
        var m = java.util.regex.Pattern.compile("\"step\":(\\d+)").matcher(jsonLine);
        assertTrue(m.find(), jsonLine);
        return Long.parseLong(m.group(1));
    }

    /**
     * A checkpoint's model directory is a Hugging Face model: it loads with LlamaCheckpoint; in F32 its weights
     * are the masters bit for bit, and in BF16 they are the masters rounded to nearest even.
     */
    @ParameterizedTest
    @ValueSource(strings = {"f32", "bf16"})
    void checkpointModelDirectoryHoldsTheMasters(String dtype) throws Exception {
        TinyRuns.Console console = new TinyRuns.Console();
        Path out = dir.resolve("m");
        TrainConfig c = TinyRuns.parse(TinyRuns.config(dir, out), "max_steps=2", "checkpoint.dtype=" + dtype);
        try (Trainer t = Trainer.start(c, console.out)) {
            Path ckpt = t.run(Long.MAX_VALUE).lastCheckpoint();
            assertTrue(Files.isRegularFile(ckpt.resolve("config.json")) && Files.isRegularFile(ckpt.resolve("model.safetensors")));
            assertEquals(dtype.equals("bf16"), Files.size(ckpt.resolve(OptimizerStateFile.FILE)) > 3 * 4 * t.model().parameterCount(),
                    "exact F32 masters travel in the optimizer file only when the model files are BF16");
            try (LlamaCheckpoint loaded = LlamaCheckpoint.open(ckpt)) {
                assertEquals(t.model().withDType(loaded.config().dtype()), loaded.config());
                for (var e : t.master().byName().entrySet()) {
                    float[] master = t.backend().toFloats(e.getValue());
                    float[] saved = t.backend().toFloats(loaded.weights().byName().get(e.getKey()));
                    float[] expected = dtype.equals("bf16") ? org.emma4j.kernels.TestTensors.roundToBf16(master) : master;
                    assertArrayEquals(expected, saved, e.getKey());
                }
                assertLogitsEqual(t, loaded);
            }
        }
    }

    /** The loaded directory's logits equal those of the in-memory masters (rounded like the files in BF16). */
    private static void assertLogitsEqual(Trainer t, LlamaCheckpoint loaded) {
        var backend = t.backend();
        // 40 positions: more than CpuGemv's 32 rows, so the blocked GEMM (whose bits do not depend on the JIT tier) runs.
        int[] tokens = new int[40];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = (i * 37 + 5) % TinyRuns.VOCAB;
        }
        try (var scope = backend.newScope()) {
            var reference = loaded.config().dtype() == org.emma4j.kernels.DType.F32 ? t.master()
                    : org.emma4j.model.checkpoint.WeightTransfer.copyTo(t.master(), backend, scope, org.emma4j.kernels.DType.BF16);
            float[] expected = logits(t, reference, tokens, scope);
            float[] got = logits(t, loaded.weights(), tokens, scope);
            assertArrayEquals(expected, got, "logits of the saved model vs the in-memory weights");
        }
    }

    private static float[] logits(Trainer t, org.emma4j.model.checkpoint.LlamaWeights weights, int[] tokens,
                                  org.emma4j.kernels.TensorScope scope) {
        try (var inference = new org.emma4j.model.llama.LlamaInference(t.backend(), t.model(), weights, 64, 64)) {
            var cache = inference.newCache(scope, org.emma4j.kernels.DType.F32, 64);
            Tensor out = inference.forward(tokens, cache, true);
            return t.backend().toFloats(out);
        }
    }

    /**
     * Continuing from a released checkpoint (init_from) takes only its weights: step 0, zero moments, the data
     * from its start and the warmup's first learning rate; resuming the same checkpoint restores all of that,
     * so the two next steps differ.
     */
    @org.junit.jupiter.api.Test
    void weightsOnlyStartDiffersFromResume() throws Exception {
        TinyRuns.Console console = new TinyRuns.Console();
        Path first = dir.resolve("first");
        TrainConfig c = TinyRuns.parse(TinyRuns.config(dir, first), "checkpoint.dtype=f32");
        int[] trained;
        Path ckpt;
        try (Trainer t = Trainer.start(c, console.out)) {
            ckpt = t.run(Long.MAX_VALUE).lastCheckpoint();
            trained = TinyRuns.bits(t);
        }
        TrainConfig fresh = TinyRuns.parse(TinyRuns.config(dir, dir.resolve("fresh")).replace("  shape: \"" + TinyRuns.SHAPE + "\"",
                "  init_from: " + ckpt), "max_steps=7");
        Trainer.Summary freshStep;
        int[] afterFresh;
        try (Trainer t = Trainer.start(fresh, console.out)) {
            assertArrayEquals(trained, TinyRuns.bits(t), "init_from loads the checkpoint's weights exactly");
            assertEquals(0, t.step());
            assertEquals(0, t.adam().steps());
            assertEquals(DataPosition.START, t.trainData().position());
            for (Tensor m : t.adam().firstMoment().byName().values()) {
                for (float v : t.backend().toFloats(m)) {
                    assertEquals(0f, v, "fresh moments");
                }
            }
            freshStep = t.run(1);
            afterFresh = TinyRuns.bits(t);
        }
        Trainer.Summary resumedStep;
        int[] afterResume;
        try (Trainer t = Trainer.resume(Trainer.savedConfig(ckpt, List.of("max_steps=7", "out_dir=" + dir.resolve("resumed"))), ckpt,
                console.out)) {
            assertEquals(6, t.step());
            assertEquals(6, t.adam().steps());
            assertNotEquals(DataPosition.START, t.trainData().position());
            resumedStep = t.run(7);
            afterResume = TinyRuns.bits(t);
        }
        assertEquals(1, freshStep.steps().getFirst().step());
        assertEquals(7, resumedStep.steps().getFirst().step());
        assertEquals(1e-2 / 2, freshStep.steps().getFirst().lr(), 1e-15, "the first warmup step of a fresh schedule");
        assertNotEquals(freshStep.steps().getFirst().loss(), resumedStep.steps().getFirst().loss(), "other data, other loss");
        assertFalse(java.util.Arrays.equals(afterFresh, afterResume), "fresh optimizer and resumed optimizer update differently");
        assertTrue(console.text().contains("resuming with a changed setting: max_steps: 6 -> 7"), console.text());
    }

    @org.junit.jupiter.api.Test
    void newRunRefusesAnOutDirWithCheckpointsAndResumeNeedsOne() throws Exception {
        TinyRuns.Console console = new TinyRuns.Console();
        Path out = dir.resolve("x");
        TrainConfig c = TinyRuns.parse(TinyRuns.config(dir, out), "max_steps=2", "checkpoint.every=0");
        var none = assertThrows(java.nio.file.NoSuchFileException.class, () -> CheckpointStore.resolveResume(out));
        assertTrue(none.getMessage().contains("nothing to resume"), none.getMessage());
        try (Trainer t = Trainer.start(c, console.out)) {
            t.run(Long.MAX_VALUE);
        }
        var e = assertThrows(IllegalArgumentException.class, () -> Trainer.start(c, console.out));
        assertTrue(e.getMessage().contains("already holds checkpoints (newest: step-00000002); continue that run with --resume"), e.getMessage());
        try (Trainer t = Trainer.resume(c, CheckpointStore.resolveResume(out), console.out)) {
            assertTrue(t.run(Long.MAX_VALUE).steps().isEmpty());
        }
        assertTrue(console.text().contains("the run is already complete (2 of 2 steps)"), console.text());
    }
}
