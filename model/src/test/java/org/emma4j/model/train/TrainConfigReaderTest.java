package org.emma4j.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parsing of training configs: defaults, typed overrides, and the error for each kind of mistake. */
class TrainConfigReaderTest {

    @TempDir
    Path dir;

    private static final String MINIMAL = """
            model:
              shape: tiny
            data:
              train: /data/train.jsonl
            max_steps: 100
            out_dir: /runs/a
            """;

    private static TrainConfig parse(String yaml, String... overrides) {
        return TrainConfigReader.parse(yaml, "cfg.yaml", List.of(overrides));
    }

    private static String error(String yaml, String... overrides) {
        return assertThrows(IllegalArgumentException.class, () -> parse(yaml, overrides)).getMessage();
    }

    @Test
    void minimalConfigTakesTheDocumentedDefaults() {
        TrainConfig c = parse(MINIMAL);
        assertEquals("tiny", c.model().shape());
        assertNull(c.model().initFrom());
        assertEquals(256, c.seqLen());
        assertEquals(1, c.microBatch());
        assertEquals("bf16", c.precision());
        assertEquals(LlamaTraining.Precision.BF16, c.precisionMode());
        assertFalse(c.recompute());
        assertEquals(3e-4, c.optimizer().lr());
        assertEquals(0.9, c.optimizer().beta1());
        assertEquals(0.95, c.optimizer().beta2());
        assertEquals(1e-8, c.optimizer().eps());
        assertEquals(0.1, c.optimizer().weightDecay());
        assertEquals(1.0, c.optimizer().maxGradNorm());
        assertEquals("cosine", c.schedule().kind());
        assertEquals(0L, c.schedule().warmupSteps());
        assertEquals(3e-5, c.schedule().minLr(), 1e-20, "min_lr defaults to a tenth of the peak");
        assertEquals(0L, c.seed());
        assertEquals(100L, c.maxSteps());
        assertEquals(0L, c.eval().every());
        assertEquals(3, c.checkpoint().keepLast());
        assertEquals("bf16", c.checkpoint().dtype(), "checkpoint dtype follows the precision");
        assertEquals("f32", parse(MINIMAL + "precision: fp32\n").checkpoint().dtype());
        assertEquals(0, c.maxBadSteps());
        assertEquals(0, c.threads());
        assertTrue(c.data().shuffle());
        assertEquals(Path.of("/runs/a"), c.outPath());
    }

    @Test
    void overridesAreTypedByTheFieldTheySet() {
        TrainConfig c = parse(MINIMAL, "optimizer.lr=1e-4", "seq_len=64", "recompute=true", "schedule.kind=wsd",
                "model.vocab_size=512", "eval.every=10", "data.heldout=/data/held.jsonl", "precision=FP32");
        assertEquals(1e-4, c.optimizer().lr());
        assertEquals(64, c.seqLen());
        assertTrue(c.recompute());
        assertEquals("wsd", c.schedule().kind());
        assertEquals(512, c.model().vocabSize());
        assertEquals(10L, c.eval().every());
        assertEquals("/data/held.jsonl", c.data().heldout());
        assertEquals("fp32", c.precision());
        // An override creates a section the file does not have, and an empty value clears a field.
        assertEquals(0.5, parse(MINIMAL, "optimizer.max_grad_norm=0.5").optimizer().maxGradNorm());
        assertEquals(0L, parse(MINIMAL + "seed: 5\n", "seed=").seed(), "an empty override resets seed to its default");
    }

    @Test
    void unknownKeysNameTheKeyTheFileAndTheValidKeys() {
        String e = error(MINIMAL + "optimizer:\n  lrr: 0.1\n");
        assertTrue(e.startsWith("cfg.yaml: unknown key 'optimizer.lrr'"), e);
        assertTrue(e.contains("valid keys in optimizer: beta1, beta2, eps, lr, max_grad_norm, weight_decay"), e);

        e = error(MINIMAL + "max_step: 3\n");
        assertTrue(e.contains("unknown key 'max_step'") && e.contains("valid keys at the top level:") && e.contains("max_steps"), e);

        e = error(MINIMAL, "optimizer.learning_rate=1e-3");
        assertTrue(e.startsWith("--set optimizer.learning_rate=1e-3: unknown key 'optimizer.learning_rate'"), e);
        assertTrue(e.contains("lr"), e);

        e = error(MINIMAL, "lr=1e-3");
        assertTrue(e.startsWith("--set lr=1e-3: unknown key 'lr'; valid keys at the top level"), e);
    }

    @Test
    void wrongTypesSayWhatWasExpectedAndFound() {
        String e = error(MINIMAL, "optimizer.lr=fast");
        assertEquals("--set optimizer.lr=fast: optimizer.lr: expected a number, found 'fast'", e);
        e = error(MINIMAL + "seq_len: 64.5\n");
        assertTrue(e.startsWith("cfg.yaml: seq_len: expected an integer, found 64.5"), e);
        e = error(MINIMAL + "recompute: maybe\n");
        assertTrue(e.contains("recompute: expected true or false, found 'maybe'"), e);
        e = error(MINIMAL, "max_steps.x=1");
        assertTrue(e.contains("'max_steps' is a value, not a section with keys"), e);
        e = error(MINIMAL, "no_equals_sign");
        assertTrue(e.contains("expected key.path=value"), e);
        e = error("model: [tiny]\n" + MINIMAL.substring(MINIMAL.indexOf("data:")));
        assertTrue(e.contains("model: expected a mapping of keys"), e);
    }

    @Test
    void missingAndInconsistentFieldsAreExplained() {
        assertTrue(error(MINIMAL.replace("max_steps: 100\n", "")).contains("give max_steps (optimizer steps) or max_tokens"));
        assertTrue(error(MINIMAL + "max_tokens: 1000\n").contains("give max_steps or max_tokens, not both"));
        assertTrue(error(MINIMAL.replace("out_dir: /runs/a\n", "")).contains("out_dir: missing"));
        assertTrue(error(MINIMAL.replace("  train: /data/train.jsonl\n", "  heldout: /x\n")).contains("data.train: missing"));
        assertTrue(error(MINIMAL, "model.init_from=/models/llama").contains("give init_from or shape, not both"));
        assertTrue(error(MINIMAL, "precision=fp16").contains("precision must be fp32 or bf16, found 'fp16'"));
        assertTrue(error(MINIMAL, "optimizer.lr=-1").contains("optimizer.lr must be a positive number"));
        assertTrue(error(MINIMAL, "schedule.kind=step").contains("schedule.kind must be one of cosine, linear, constant, wsd"));
        assertTrue(error(MINIMAL, "schedule.min_lr=1").contains("must not exceed optimizer.lr"));
        assertTrue(error(MINIMAL + "seed: 1\nseed: 2\n").contains("not valid YAML"), "duplicate keys are rejected");
        assertTrue(error("- a\n- b\n").contains("a training config is a mapping of fields"));
    }

    @Test
    void globalBatchMustBeAWholeNumberOfMicroBatches() {
        TrainConfig tokens = parse(MINIMAL, "seq_len=64", "micro_batch=4", "global_batch_tokens=1024");
        BatchPlan p = BatchPlan.of(tokens);
        assertEquals(4, p.accumulation());
        assertEquals(16, p.globalSequences());
        assertEquals(1024, p.tokensPerStep());
        assertEquals(3, BatchPlan.of(parse(MINIMAL, "micro_batch=2", "global_batch_sequences=6")).accumulation());
        assertEquals(1, BatchPlan.of(parse(MINIMAL, "micro_batch=2")).accumulation(), "no global batch: no accumulation");

        String e = assertThrows(IllegalArgumentException.class,
                () -> BatchPlan.of(parse(MINIMAL, "seq_len=64", "micro_batch=4", "global_batch_tokens=1000"))).getMessage();
        assertEquals("global_batch_tokens 1000 is not a multiple of micro_batch × seq_len = 4 × 64 = 256 tokens; use 768 "
                + "(3 accumulation steps) or 1024 (4)", e);
        e = assertThrows(IllegalArgumentException.class,
                () -> BatchPlan.of(parse(MINIMAL, "micro_batch=4", "global_batch_sequences=10"))).getMessage();
        assertTrue(e.contains("global_batch_sequences 10 is not a multiple of micro_batch 4; use 8 (2 accumulation steps) or 12 (3)"), e);
        assertTrue(error(MINIMAL, "global_batch_sequences=8", "global_batch_tokens=2048").contains("not both"));
    }

    @Test
    void tokenBudgetRoundsUpToWholeSteps() {
        TrainConfig c = parse(MINIMAL.replace("max_steps: 100\n", "max_tokens: 10000\n"), "seq_len=100", "micro_batch=3");
        assertEquals(34, BatchPlan.of(c).maxSteps(), "ceil(10000 / 300)");
    }

    @Test
    void resolvedConfigRoundTripsThroughYamlAndFiles() throws Exception {
        TrainConfig c = parse(MINIMAL, "optimizer.lr=2e-4", "schedule.kind=linear", "eval.every=5", "checkpoint.keep_last=0");
        Path file = dir.resolve("saved.yaml");
        Files.writeString(file, TrainConfigReader.toYaml(c));
        assertEquals(c, TrainConfigReader.read(file, List.of()));
        assertEquals(List.of(), TrainConfigDiff.between(c, TrainConfigReader.read(file, List.of())));
        assertEquals(List.of("optimizer.lr: 2.0E-4 -> 1.0E-4"),
                TrainConfigDiff.between(c, TrainConfigReader.read(file, List.of("optimizer.lr=1e-4"))));
        var missing = assertThrows(java.nio.file.NoSuchFileException.class, () -> TrainConfigReader.read(dir.resolve("nope.yaml"), List.of()));
        assertTrue(missing.getMessage().contains("nope.yaml"));
    }

    @Test
    void relativePathsResolveAgainstTheWorkingDirectory() {
        TrainConfig c = parse(MINIMAL.replace("/data/train.jsonl", "data/train.jsonl").replace("/runs/a", "runs/a"));
        assertEquals(Path.of("data/train.jsonl").toAbsolutePath().normalize().toString(), c.data().train());
        assertEquals(Path.of("runs/a").toAbsolutePath().normalize(), c.outPath());
    }

    @Test
    void theCommentedExampleConfigParses() throws Exception {
        Path example = Path.of("..", "configs", "train-tiny.yaml");
        assertTrue(Files.isRegularFile(example), "configs/train-tiny.yaml is found from the model module");
        TrainConfig c = TrainConfigReader.read(example, List.of());
        assertEquals("tiny", c.model().shape());
        assertEquals(4, BatchPlan.of(c).accumulation());
        assertEquals(1e-4, c.schedule().minLr());
        assertEquals(5, c.maxBadSteps());
    }
}
