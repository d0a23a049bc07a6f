package org.emma4j.model.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Everything a training run is configured by: the YAML of {@code ./emma4j train --config FILE} (field names
 * as in the YAML, snake_case), resolved with defaults. Missing fields take the defaults documented here and in
 * {@code docs/training.md}; the resolved config is saved into every checkpoint so a run can be resumed from it.
 * Relative paths are resolved against the working directory when the config is read.
 *
 * @param model        what to train: a checkpoint to continue from, or a shape to start from
 * @param data         where the token sequences come from
 * @param seqLen       positions per sequence (T)
 * @param microBatch   sequences per forward/backward pass (B)
 * @param globalBatchTokens    tokens per optimizer step (a multiple of micro_batch × seq_len), or null
 * @param globalBatchSequences sequences per optimizer step (a multiple of micro_batch), or null; neither: no accumulation
 * @param precision    fp32, or bf16 (BF16 matmul weights, F32 master weights, moments and gradients)
 * @param recompute    recompute each layer's activations during backward instead of keeping them (less memory)
 * @param optimizer    AdamW settings and the peak learning rate
 * @param schedule     the learning-rate schedule
 * @param seed         seeds the data order (and the initial weights of a shape, unless model.seed is set)
 * @param maxSteps     optimizer steps to take, or null when max_tokens is given
 * @param maxTokens    token budget (steps = ceil(max_tokens / global batch tokens)), or null
 * @param eval         held-out evaluation
 * @param checkpoint   checkpointing
 * @param outDir       where the log, the loss plot and the checkpoints go
 * @param maxBadSteps  steps with a NaN/Inf loss or gradient norm tolerated (not applied) before the run stops
 * @param threads      CPU threads (0: all cores); resume is bit-exact only with the same count
 */
public record TrainConfig(
        @JsonProperty("model") Model model,
        @JsonProperty("data") Data data,
        @JsonProperty("seq_len") Integer seqLen,
        @JsonProperty("micro_batch") Integer microBatch,
        @JsonProperty("global_batch_tokens") Long globalBatchTokens,
        @JsonProperty("global_batch_sequences") Integer globalBatchSequences,
        @JsonProperty("precision") String precision,
        @JsonProperty("recompute") Boolean recompute,
        @JsonProperty("optimizer") Optimizer optimizer,
        @JsonProperty("schedule") Schedule schedule,
        @JsonProperty("seed") Long seed,
        @JsonProperty("max_steps") Long maxSteps,
        @JsonProperty("max_tokens") Long maxTokens,
        @JsonProperty("eval") Eval eval,
        @JsonProperty("checkpoint") Checkpoint checkpoint,
        @JsonProperty("out_dir") String outDir,
        @JsonProperty("max_bad_steps") Integer maxBadSteps,
        @JsonProperty("threads") Integer threads) {

    public TrainConfig {
        require(model != null, "model: missing; give model.init_from (a Hugging Face model directory) or model.shape");
        require(data != null, "data: missing; give data.train (a token shard directory or a JSON Lines file of {\"input_ids\": [...]})");
        seqLen = positive("seq_len", seqLen, 256);
        microBatch = positive("micro_batch", microBatch, 1);
        require(globalBatchTokens == null || globalBatchTokens > 0, "global_batch_tokens must be positive, found " + globalBatchTokens);
        require(globalBatchSequences == null || globalBatchSequences > 0,
                "global_batch_sequences must be positive, found " + globalBatchSequences);
        require(globalBatchTokens == null || globalBatchSequences == null,
                "give global_batch_tokens or global_batch_sequences, not both");
        precision = precision == null ? "bf16" : precision.toLowerCase(Locale.ROOT);
        require(precision.equals("fp32") || precision.equals("bf16"), "precision must be fp32 or bf16, found '" + precision + "'");
        recompute = recompute != null && recompute;
        optimizer = optimizer != null ? optimizer : new Optimizer(null, null, null, null, null, null);
        schedule = schedule != null ? schedule : new Schedule(null, null, null, null);
        if (schedule.minLr() == null) {
            schedule = new Schedule(schedule.kind(), schedule.warmupSteps(), optimizer.lr() * 0.1, schedule.decayFraction());
        }
        require(schedule.minLr() <= optimizer.lr(), "schedule.min_lr (" + schedule.minLr() + ") must not exceed optimizer.lr ("
                + optimizer.lr() + ")");
        seed = seed != null ? seed : 0L;
        require(maxSteps == null || maxSteps > 0, "max_steps must be positive, found " + maxSteps);
        require(maxTokens == null || maxTokens > 0, "max_tokens must be positive, found " + maxTokens);
        require(maxSteps != null || maxTokens != null, "give max_steps (optimizer steps) or max_tokens (a token budget)");
        require(maxSteps == null || maxTokens == null, "give max_steps or max_tokens, not both");
        eval = eval != null ? eval : new Eval(null, null);
        checkpoint = checkpoint != null ? checkpoint : new Checkpoint(null, null, null);
        if (checkpoint.dtype() == null) {
            checkpoint = new Checkpoint(checkpoint.every(), checkpoint.keepLast(), precision.equals("bf16") ? "bf16" : "f32");
        }
        require(outDir != null && !outDir.isBlank(), "out_dir: missing; give the directory for the log, the loss plot and the checkpoints");
        outDir = absolute(outDir);
        maxBadSteps = nonNegative("max_bad_steps", maxBadSteps, 0);
        threads = nonNegative("threads", threads, 0);
    }

    /** The precision as {@link LlamaTraining} takes it. */
    public LlamaTraining.Precision precisionMode() {
        return precision.equals("bf16") ? LlamaTraining.Precision.BF16 : LlamaTraining.Precision.FP32;
    }

    public Path outPath() {
        return Path.of(outDir);
    }

    /** The CPU thread count the run uses: {@code threads}, or every available core when it is 0. */
    public int resolvedThreads() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }

    /**
     * The model to train.
     *
     * @param initFrom      a Hugging Face Llama directory whose weights start the run (fresh optimizer, step 0), or null
     * @param shape         a named shape or explicit sizes (see {@code ./emma4j init --help}) when init_from is null
     * @param vocabSize     the vocabulary size of a shape (default: the shape's, 128256 for Llama 3 shapes)
     * @param tieEmbeddings share the embedding with the LM head (shape only)
     * @param seed          the initialisation seed of a shape (default: the run's seed)
     * @param tokenizer     a directory whose tokenizer files are copied into every checkpoint (default: init_from's, if it has one)
     */
    public record Model(
            @JsonProperty("init_from") String initFrom,
            @JsonProperty("shape") String shape,
            @JsonProperty("vocab_size") Integer vocabSize,
            @JsonProperty("tie_embeddings") Boolean tieEmbeddings,
            @JsonProperty("seed") Long seed,
            @JsonProperty("tokenizer") String tokenizer) {
        public Model {
            require(initFrom != null || shape != null, "model: give init_from (a Hugging Face model directory) or shape (e.g. tiny)");
            require(initFrom == null || shape == null, "model: give init_from or shape, not both");
            require(initFrom == null || (vocabSize == null && tieEmbeddings == null && seed == null),
                    "model: vocab_size, tie_embeddings and seed apply to a shape, not to init_from (the checkpoint fixes them)");
            require(vocabSize == null || vocabSize > 0, "model.vocab_size must be positive, found " + vocabSize);
            initFrom = initFrom == null ? null : absolute(initFrom);
            tokenizer = tokenizer == null ? null : absolute(tokenizer);
        }
    }

    /**
     * Token data: a token shard directory (the data pipeline's output) or a JSON Lines file whose lines are
     * {@code {"input_ids": [...]}} objects or plain arrays of token ids.
     *
     * @param train   the training sequences
     * @param heldout held-out sequences for evaluation, or null
     * @param shuffle shuffle the training sequences each epoch (the order is a function of the seed and the epoch)
     */
    public record Data(@JsonProperty("train") String train, @JsonProperty("heldout") String heldout,
                       @JsonProperty("shuffle") Boolean shuffle) {
        public Data {
            require(train != null && !train.isBlank(),
                    "data.train: missing; give a token shard directory or a JSON Lines file of {\"input_ids\": [...]}");
            train = absolute(train);
            heldout = heldout == null ? null : absolute(heldout);
            shuffle = shuffle == null || shuffle;
        }
    }

    /** AdamW: peak learning rate, moment decays, ε, decoupled weight decay, clipping of the global gradient norm (0: none). */
    public record Optimizer(@JsonProperty("lr") Double lr, @JsonProperty("beta1") Double beta1, @JsonProperty("beta2") Double beta2,
                            @JsonProperty("eps") Double eps, @JsonProperty("weight_decay") Double weightDecay,
                            @JsonProperty("max_grad_norm") Double maxGradNorm) {
        public Optimizer {
            lr = lr != null ? lr : 3e-4;
            beta1 = beta1 != null ? beta1 : 0.9;
            beta2 = beta2 != null ? beta2 : 0.95;
            eps = eps != null ? eps : 1e-8;
            weightDecay = weightDecay != null ? weightDecay : 0.1;
            maxGradNorm = maxGradNorm != null ? maxGradNorm : 1.0;
            require(lr > 0 && Double.isFinite(lr), "optimizer.lr must be a positive number, found " + lr);
            require(beta1 >= 0 && beta1 < 1, "optimizer.beta1 must be in [0, 1), found " + beta1);
            require(beta2 >= 0 && beta2 < 1, "optimizer.beta2 must be in [0, 1), found " + beta2);
            require(eps > 0, "optimizer.eps must be positive, found " + eps);
            require(weightDecay >= 0, "optimizer.weight_decay must not be negative, found " + weightDecay);
            require(maxGradNorm >= 0, "optimizer.max_grad_norm must not be negative (0: no clipping), found " + maxGradNorm);
        }

        AdamW.Settings settings() {
            return new AdamW.Settings(beta1.floatValue(), beta2.floatValue(), eps.floatValue(), weightDecay.floatValue(),
                    maxGradNorm.floatValue());
        }
    }

    /**
     * The learning-rate schedule (see {@link LRSchedule}).
     *
     * @param kind          cosine (default), linear, constant or wsd (warmup, stable, decay)
     * @param warmupSteps   steps of linear warmup to optimizer.lr
     * @param minLr         the rate the decay ends at (default: 0.1 × optimizer.lr)
     * @param decayFraction wsd only: the fraction of all steps spent decaying at the end (default 0.1)
     */
    public record Schedule(@JsonProperty("kind") String kind, @JsonProperty("warmup_steps") Long warmupSteps,
                           @JsonProperty("min_lr") Double minLr, @JsonProperty("decay_fraction") Double decayFraction) {
        public Schedule {
            kind = kind == null ? "cosine" : kind.toLowerCase(Locale.ROOT);
            require(LRSchedule.KINDS.contains(kind), "schedule.kind must be one of " + String.join(", ", LRSchedule.KINDS)
                    + ", found '" + kind + "'");
            warmupSteps = warmupSteps != null ? warmupSteps : 0L;
            require(warmupSteps >= 0, "schedule.warmup_steps must not be negative, found " + warmupSteps);
            require(minLr == null || minLr >= 0, "schedule.min_lr must not be negative, found " + minLr);
            decayFraction = decayFraction != null ? decayFraction : 0.1;
            require(decayFraction > 0 && decayFraction <= 1, "schedule.decay_fraction must be in (0, 1], found " + decayFraction);
        }
    }

    /**
     * Held-out evaluation.
     *
     * @param every      evaluate every this many steps (0: only at the end); needs data.heldout
     * @param maxBatches micro-batches per evaluation (0: the whole held-out set)
     */
    public record Eval(@JsonProperty("every") Long every, @JsonProperty("max_batches") Integer maxBatches) {
        public Eval {
            every = every != null ? every : 0L;
            maxBatches = maxBatches != null ? maxBatches : 0;
            require(every >= 0, "eval.every must not be negative, found " + every);
            require(maxBatches >= 0, "eval.max_batches must not be negative, found " + maxBatches);
        }
    }

    /**
     * Checkpointing.
     *
     * @param every    write a checkpoint every this many steps (0: only at the end)
     * @param keepLast keep this many most recent checkpoints (0: keep all)
     * @param dtype    dtype of the Hugging Face weights in a checkpoint, f32 or bf16 (default: bf16 when precision is
     *                 bf16); exact F32 masters are saved beside them whenever this is not f32
     */
    public record Checkpoint(@JsonProperty("every") Long every, @JsonProperty("keep_last") Integer keepLast,
                             @JsonProperty("dtype") String dtype) {
        public Checkpoint {
            every = every != null ? every : 0L;
            keepLast = keepLast != null ? keepLast : 3;
            require(every >= 0, "checkpoint.every must not be negative, found " + every);
            require(keepLast >= 0, "checkpoint.keep_last must not be negative (0: keep all), found " + keepLast);
            dtype = dtype == null ? null : dtype.toLowerCase(Locale.ROOT);
            require(dtype == null || dtype.equals("f32") || dtype.equals("bf16"), "checkpoint.dtype must be f32 or bf16, found '" + dtype + "'");
        }
    }

    private static Integer positive(String field, Integer value, int fallback) {
        int v = value != null ? value : fallback;
        require(v > 0, field + " must be positive, found " + v);
        return v;
    }

    private static Integer nonNegative(String field, Integer value, int fallback) {
        int v = value != null ? value : fallback;
        require(v >= 0, field + " must not be negative, found " + v);
        return v;
    }

    private static String absolute(String path) {
        return Path.of(path).toAbsolutePath().normalize().toString();
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
