package org.emma4j.model.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.emma4j.kernels.Backend;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.TensorScope;
import org.emma4j.kernels.cpu.CpuBackend;
import org.emma4j.model.checkpoint.LlamaWeights;
import org.emma4j.model.config.LlamaConfig;
import org.emma4j.model.io.AtomicFiles;

/**
 * A training run: the loop of optimizer steps over a {@link TrainingData} source, with held-out evaluation,
 * checkpoints, the log and the loss plot. Two ways in:
 * <ul>
 *   <li>{@link #start}: a new run from a released checkpoint's weights or a shape's random initialisation —
 *       fresh optimizer moments, step 0, data from the start;</li>
 *   <li>{@link #resume}: a run continued from one of its checkpoints — weights, optimizer moments and step
 *       counter, schedule position, data position and bad-step count restored, so that on the CPU (same thread
 *       count) every later loss equals, bit for bit, that of the run never interrupted.</li>
 * </ul>
 * Both run on any {@link Backend} (the CPU or a GPU: only the interface is used, and tensors cross to the host
 * through its upload and download); without one they create a CPU backend with the config's thread count.
 */
public final class Trainer implements AutoCloseable {

    /**
     * What {@link #run} did in this session.
     *
     * @param finished whether the run reached its last step
     */
    public record Summary(long step, long maxSteps, boolean finished, List<StepRecord> steps, List<EvalRecord> evals, Path lastCheckpoint) {
    }

    private final TrainConfig config;
    private final BatchPlan plan;
    private final LRSchedule schedule;
    private final AdamW.Settings settings;
    private final int threads;
    private final Backend backend;
    private final boolean ownsBackend;
    private final TensorScope paramScope;
    private final TensorScope optScope;
    private final LlamaConfig model;
    private final LlamaWeights master;
    private final AdamW adam;
    private final Path tokenizer;
    private final CheckpointStore store;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final LlamaTraining training;
    private final TrainingData train;
    private final TrainingData heldout;
    private final TrainingLog log;
    private long step;
    private long tokensSeen;
    private int badSteps;
    private double elapsedBefore;
    private Path lastCheckpoint;

    /** {@link #start(TrainConfig, Backend, PrintStream)} on a CPU backend of {@code config.threads} threads, closed with the trainer. */
    public static Trainer start(TrainConfig config, PrintStream out) throws IOException {
        Backend backend = new CpuBackend(config.resolvedThreads());
        try {
            return start(config, backend, true, out);
        } catch (IOException | RuntimeException | Error e) {
            backend.close();
            throw e;
        }
    }

    /**
     * A new run (weights only from {@code model.init_from}, or a random shape) on {@code backend}, which the caller
     * keeps and closes after the trainer. Refuses an out_dir that already holds checkpoints. A CPU backend should
     * have {@code config.threads} threads: checkpoints record that count for the resume check.
     */
    public static Trainer start(TrainConfig config, Backend backend, PrintStream out) throws IOException {
        return start(config, backend, false, out);
    }

    private static Trainer start(TrainConfig config, Backend backend, boolean ownsBackend, PrintStream out) throws IOException {
        CheckpointStore store = new CheckpointStore(config.outPath());
        Optional<Path> existing = store.latest();
        if (existing.isPresent()) {
            throw new IllegalArgumentException("out_dir " + config.outDir() + " already holds checkpoints (newest: " + existing.get().getFileName()
                    + "); continue that run with --resume, or choose another out_dir");
        }
        TrainingDataSources.requireExists(config.data().train());
        TrainingDataSources.requireExists(config.data().heldout());
        int threads = config.resolvedThreads();
        TensorScope paramScope = backend.newScope();
        TensorScope optScope = backend.newScope();
        try {
            InitialWeights init = InitialWeights.load(config.model(), config.seed(), backend, paramScope, threads);
            AdamW adam = new AdamW(backend, optScope, init.master());
            out.println("train: starting a new run from the " + init.origin());
            return new Trainer(config, threads, backend, ownsBackend, paramScope, optScope, init.model(), init.master(), adam,
                    init.tokenizer(), null, out);
        } catch (IOException | RuntimeException | Error e) {
            optScope.close();
            paramScope.close();
            throw e;
        }
    }

    /** {@link #resume(TrainConfig, Path, Backend, PrintStream)} on a CPU backend of {@code config.threads} threads, closed with the trainer. */
    public static Trainer resume(TrainConfig config, Path checkpoint, PrintStream out) throws IOException {
        Backend backend = new CpuBackend(config.resolvedThreads());
        try {
            return resume(config, checkpoint, backend, true, out);
        } catch (IOException | RuntimeException | Error e) {
            backend.close();
            throw e;
        }
    }

    /**
     * Continues the run saved in {@code checkpoint} (a complete checkpoint directory) under {@code config} on
     * {@code backend}, which the caller keeps and closes after the trainer. Warns when the device or the CPU thread
     * count differs from the checkpoint's: the run continues, but not bit-identically.
     */
    public static Trainer resume(TrainConfig config, Path checkpoint, Backend backend, PrintStream out) throws IOException {
        return resume(config, checkpoint, backend, false, out);
    }

    private static Trainer resume(TrainConfig config, Path checkpoint, Backend backend, boolean ownsBackend, PrintStream out)
            throws IOException {
        TrainerState state = RunCheckpoint.readState(checkpoint);
        TrainingDataSources.requireExists(config.data().train());
        TrainingDataSources.requireExists(config.data().heldout());
        TrainConfig saved = RunCheckpoint.readConfig(checkpoint, List.of());
        for (String change : TrainConfigDiff.between(saved, config)) {
            out.println("train: note: resuming with a changed setting: " + change);
        }
        int threads = config.resolvedThreads();
        warnIfNotBitExact(state, backend, threads, out);
        TensorScope paramScope = backend.newScope();
        TensorScope optScope = backend.newScope();
        try {
            RunCheckpoint.Restored r = RunCheckpoint.restore(checkpoint, backend, paramScope, m -> new AdamW(backend, optScope, m),
                    state.optimizerSteps());
            Path tokenizer = InitialWeights.hasTokenizer(checkpoint) ? checkpoint
                    : config.model().tokenizer() == null ? null : Path.of(config.model().tokenizer());
            out.println("train: resuming from " + checkpoint + " at step " + state.step() + " (" + state.tokensSeen() + " tokens, data epoch "
                    + state.trainData().epoch() + " sequence " + state.trainData().sequence() + ")");
            return new Trainer(config, threads, backend, ownsBackend, paramScope, optScope, r.model(), r.master(), r.adam(), tokenizer,
                    state, out);
        } catch (IOException | RuntimeException | Error e) {
            optScope.close();
            paramScope.close();
            throw e;
        }
    }

    /**
     * Bit-exact resume holds on the same device kind and, on the CPU, the same thread count (its reductions split
     * work by thread count); on a GPU, only on the same device. Anything else continues with a warning.
     */
    private static void warnIfNotBitExact(TrainerState state, Backend backend, int threads, PrintStream out) {
        // Checkpoints written before the device was recorded all come from the CPU trainer.
        String saved = state.device() != null ? state.device() : "cpu";
        String savedKind = TrainerState.deviceKind(saved);
        String kind = TrainerState.deviceKind(backend.name());
        if (!savedKind.equals(kind) || (!kind.equals("cpu") && !saved.equals(backend.name()))) {
            out.println("train: warning: the checkpoint was trained on " + saved + " and this run uses " + backend.name()
                    + "; losses will not be bit-identical to an uninterrupted run (devices round and reduce differently)");
        } else if (kind.equals("cpu") && threads != state.threads()) {
            out.println("train: warning: the checkpoint was trained with " + state.threads() + " threads and this run uses " + threads
                    + "; losses will not be bit-identical to an uninterrupted run (CPU reductions split work by thread count)");
        }
    }

    /** The resolved config saved in a checkpoint, with {@code overrides} ("key.path=value") applied. */
    public static TrainConfig savedConfig(Path checkpoint, List<String> overrides) throws IOException {
        return RunCheckpoint.readConfig(checkpoint, overrides);
    }

    private Trainer(TrainConfig config, int threads, Backend backend, boolean ownsBackend, TensorScope paramScope, TensorScope optScope, LlamaConfig model,
                    LlamaWeights master, AdamW adam, Path tokenizer, TrainerState state, PrintStream out) throws IOException {
        this.config = config;
        this.threads = threads;
        this.backend = backend;
        this.ownsBackend = ownsBackend;
        this.paramScope = paramScope;
        this.optScope = optScope;
        this.model = model;
        this.master = master;
        this.adam = adam;
        this.tokenizer = tokenizer;
        this.store = new CheckpointStore(config.outPath());
        this.plan = BatchPlan.of(config);
        this.settings = config.optimizer().settings();
        TrainConfig.Schedule s = config.schedule();
        this.schedule = LRSchedule.of(s.kind(), config.optimizer().lr(), s.minLr(), s.warmupSteps(), s.decayFraction(), plan.maxSteps());
        if (config.seqLen() > model.maxPositionEmbeddings()) {
            throw new IllegalArgumentException("seq_len " + config.seqLen() + " exceeds the model's max_position_embeddings "
                    + model.maxPositionEmbeddings());
        }
        try {
            this.train = open(TrainingDataSources.open(Path.of(config.data().train()), false, config.seqLen(), model.vocabSize(),
                    config.seed(), config.data().shuffle()));
            this.heldout = config.data().heldout() == null ? null
                    : open(TrainingDataSources.open(Path.of(config.data().heldout()), true, config.seqLen(), model.vocabSize(), config.seed(),
                    false));
            if (state != null) {
                step = state.step();
                tokensSeen = state.tokensSeen();
                badSteps = state.badSteps();
                elapsedBefore = state.elapsedSeconds();
                train.seek(state.trainData());
            }
            this.training = open(new LlamaTraining(backend, model, master, config.precisionMode(), plan.microBatch(), plan.seqLen(),
                    config.recompute()));
            this.log = open(new TrainingLog(config.outPath(), out, step, state != null));
            AtomicFiles.writeString(config.outPath().resolve(RunCheckpoint.CONFIG_FILE), TrainConfigReader.toYaml(config));
            store.removeInterruptedWrites();
            describeSetup();
        } catch (IOException | RuntimeException | Error e) {
            closeOpened();
            throw e;
        }
    }

    private <T extends AutoCloseable> T open(T resource) {
        closeables.add(resource);
        return resource;
    }

    private void describeSetup() {
        log.note(String.format(Locale.ROOT, "model: %,d parameters (dim %d, %d layers, %d heads / %d KV heads, FFN %d, vocab %d%s), "
                        + "precision %s%s", model.parameterCount(), model.hiddenSize(), model.numHiddenLayers(), model.numAttentionHeads(),
                model.numKeyValueHeads(), model.intermediateSize(), model.vocabSize(), model.tieWordEmbeddings() ? ", tied" : "",
                config.precision(), config.recompute() ? ", activations recomputed" : ""));
        log.note("data: train " + train.describe() + (heldout == null ? "; no held-out data" : "; held-out " + heldout.describe()));
        log.note(String.format(Locale.ROOT, "batch: micro_batch %d × seq_len %d × %d accumulation = %d sequences = %,d tokens per step; "
                        + "%,d steps = %,d tokens", plan.microBatch(), plan.seqLen(), plan.accumulation(), plan.globalSequences(),
                plan.tokensPerStep(), plan.maxSteps(), plan.maxSteps() * plan.tokensPerStep()));
        TrainConfig.Schedule s = config.schedule();
        log.note(String.format(Locale.ROOT, "schedule: %s, warmup %d steps, lr %.3e -> min %.3e; AdamW betas (%s, %s), eps %s, weight decay %s, "
                        + "clip %s", s.kind(), s.warmupSteps(), config.optimizer().lr(), s.minLr(), config.optimizer().beta1(),
                config.optimizer().beta2(), config.optimizer().eps(), config.optimizer().weightDecay(), config.optimizer().maxGradNorm()));
        log.note("backend: " + backend.name() + "; out: " + config.outDir());
        log.note("memory at start: " + memory(false));
    }

    private String memory(boolean peak) {
        return MemoryReport.describe(paramScope.allocatedBytes(), optScope.allocatedBytes(), training.allocatedBytes(), peak);
    }

    /** Trains until the last step (or until {@code stopAfterStep} steps are done, which tests use to simulate a kill). */
    public Summary run(long stopAfterStep) throws IOException {
        long end = Math.min(plan.maxSteps(), stopAfterStep);
        List<StepRecord> steps = new ArrayList<>();
        List<EvalRecord> evals = new ArrayList<>();
        long sessionStart = System.nanoTime();
        double stepSeconds = 0;
        double recentStepSeconds = Double.NaN; // moving average for the ETA: the first steps include JIT warm-up
        if (step >= plan.maxSteps()) {
            log.note("train: the run is already complete (" + step + " of " + plan.maxSteps() + " steps); raise max_steps or max_tokens to continue");
        }
        while (step < end) {
            double lr = schedule.lr(step);
            long t0 = System.nanoTime();
            List<MicroBatch> micro = new ArrayList<>(plan.accumulation());
            for (int i = 0; i < plan.accumulation(); i++) {
                micro.add(train.nextMicroBatch(plan.microBatch()));
            }
            GlobalBatchStep.Result r = GlobalBatchStep.run(training, adam, micro, (float) lr, settings);
            double seconds = (System.nanoTime() - t0) / 1e9;
            step++;
            tokensSeen += plan.tokensPerStep();
            stepSeconds += seconds;
            recentStepSeconds = Double.isNaN(recentStepSeconds) ? seconds : 0.8 * recentStepSeconds + 0.2 * seconds;
            double elapsed = elapsedBefore + (System.nanoTime() - sessionStart) / 1e9;
            StepRecord rec = new StepRecord(step, plan.maxSteps(), r.loss(), lr, r.update().gradNorm(), r.update().applied(), tokensSeen,
                    plan.tokensPerStep() / seconds, elapsed, (plan.maxSteps() - step) * recentStepSeconds);
            steps.add(rec);
            log.step(rec);
            if (!rec.applied()) {
                badSteps++;
                if (badSteps > config.maxBadSteps()) {
                    plot();
                    throw new TrainingStoppedException(String.format(Locale.ROOT, "stopping at step %d: %d step%s had a non-finite loss or "
                                    + "gradient norm (this one: loss %s, grad norm %s), more than max_bad_steps = %d; no update of these steps "
                                    + "was applied. Last good checkpoint: %s", step, badSteps, badSteps == 1 ? "" : "s", rec.loss(), rec.gradNorm(),
                            config.maxBadSteps(), lastGoodCheckpoint()));
                }
                log.note("train: warning: step " + step + " skipped (loss " + rec.loss() + ", grad norm " + rec.gradNorm() + "); " + badSteps
                        + " of max_bad_steps = " + config.maxBadSteps() + " tolerated so far");
            }
            boolean last = step == plan.maxSteps();
            if (heldout != null && (last || (config.eval().every() > 0 && step % config.eval().every() == 0))) {
                evals.add(evaluate());
            }
            if (last || (config.checkpoint().every() > 0 && step % config.checkpoint().every() == 0)) {
                saveCheckpoint(elapsed);
            }
        }
        boolean finished = step >= plan.maxSteps();
        if (finished && !steps.isEmpty()) {
            plot();
            StepRecord lastStep = steps.getLast();
            double sessionSeconds = (System.nanoTime() - sessionStart) / 1e9;
            log.note(String.format(Locale.ROOT, "done: %d steps, %,d tokens in %s (this session %,.0f tokens/s); last train loss %.4f%s",
                    step, tokensSeen, TrainingLog.duration(lastStep.elapsedSeconds()), steps.size() * plan.tokensPerStep() / stepSeconds,
                    lastStep.loss(), evals.isEmpty() ? "" : String.format(Locale.ROOT, ", held-out loss %.4f (ppl %.2f)",
                            evals.getLast().loss(), evals.getLast().perplexity())));
            log.note("memory peak: " + memory(true));
            log.note(String.format(Locale.ROOT, "checkpoint: %s (session %.1f s)", lastCheckpoint, sessionSeconds));
        }
        return new Summary(step, plan.maxSteps(), finished, steps, evals, lastCheckpoint);
    }

    private String lastGoodCheckpoint() throws IOException {
        return store.latest().map(Path::toString).orElse("none");
    }

    /** Mean loss over the held-out set (or its first eval.max_batches micro-batches), forward only. */
    private EvalRecord evaluate() throws IOException {
        long t0 = System.nanoTime();
        int b = plan.microBatch();
        int t = plan.seqLen();
        long total = heldout.sequencesPerEpoch();
        long limit = config.eval().maxBatches() > 0 ? Math.min(total, (long) config.eval().maxBatches() * b) : total;
        heldout.seek(DataPosition.START);
        int[] inputs = new int[b * t];
        int[] labels = new int[b * t];
        double sum = 0;
        long tokens = 0;
        for (long s = 0; s < limit; s += b) {
            long rows = Math.min(b, limit - s);
            for (int i = 0; i < b; i++) {
                if (i < rows) {
                    heldout.next(inputs, labels, i * t);
                } else { // padding rows of the last micro-batch take no part in the loss
                    Arrays.fill(inputs, i * t, (i + 1) * t, 0);
                    Arrays.fill(labels, i * t, (i + 1) * t, LlamaTraining.IGNORE_INDEX);
                }
            }
            LlamaTraining.LossSum l = training.loss(inputs, labels);
            sum += l.sum();
            tokens += l.tokens();
        }
        EvalRecord e = new EvalRecord(step, tokens == 0 ? Double.NaN : sum / tokens, tokens, (System.nanoTime() - t0) / 1e9);
        log.eval(e);
        plot();
        return e;
    }

    private void saveCheckpoint(double elapsed) throws IOException {
        long t0 = System.nanoTime();
        TrainerState state = new TrainerState(step, adam.steps(), tokensSeen, badSteps, train.position(), config.seed(), threads,
                backend.name(), config.precision(), elapsed);
        DType dtype = config.checkpoint().dtype().equals("bf16") ? DType.BF16 : DType.F32;
        var contents = new RunCheckpoint.Contents(model, master, backend, dtype, tokenizer, adam, state, config);
        lastCheckpoint = store.write(step, config.checkpoint().keepLast(), dir -> RunCheckpoint.writeInto(dir, contents));
        log.note(String.format(Locale.ROOT, "checkpoint %s (%.1f s)", lastCheckpoint, (System.nanoTime() - t0) / 1e9));
        plot();
    }

    private void plot() throws IOException {
        String title = config.outPath().getFileName() + String.format(Locale.ROOT, " (%,d parameters)", model.parameterCount());
        LossCurvePlot.write(config.outPath().resolve(LossCurvePlot.FILE), title, log.trainLoss(), log.evalLoss());
    }

    // ------------------------------------------------------------------------------ for tests in this package

    LlamaWeights master() {
        return master;
    }

    AdamW adam() {
        return adam;
    }

    Backend backend() {
        return backend;
    }

    long step() {
        return step;
    }

    TrainingData trainData() {
        return train;
    }

    LlamaConfig model() {
        return model;
    }

    @Override
    public void close() {
        closeOpened();
        optScope.close();
        paramScope.close();
        if (ownsBackend) {
            backend.close();
        }
    }

    private void closeOpened() {
        for (AutoCloseable c : closeables.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                // Closing releases memory and file handles only; nothing to recover.
            }
        }
        closeables.clear();
    }
}
