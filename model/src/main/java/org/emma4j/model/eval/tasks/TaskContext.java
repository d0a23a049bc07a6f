package org.emma4j.model.eval.tasks;

import java.nio.file.Path;
import org.emma4j.model.llama.SamplingParams;

/**
 * How to run a task.
 *
 * @param dataDir  the directory holding the benchmarks' released files (each task's layout below it)
 * @param limit    score at most this many examples per language; 0 for all
 * @param shots    few-shot examples per prompt, or null for the task's default (as in the paper)
 * @param seed     seeds the choice of few-shot examples (and sampling, through {@code sampling})
 * @param sampling how generation tasks pick tokens (greedy by default)
 */
public record TaskContext(Path dataDir, int limit, Integer shots, long seed, SamplingParams sampling, Progress progress) {
    public TaskContext {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0 (0 = all), found " + limit);
        }
        if (shots != null && shots < 0) {
            throw new IllegalArgumentException("shots must be >= 0, found " + shots);
        }
    }

    public static TaskContext of(Path dataDir) {
        return new TaskContext(dataDir, 0, null, 1234, SamplingParams.greedy(), Progress.NONE);
    }

    public TaskContext withLimit(int n) {
        return new TaskContext(dataDir, n, shots, seed, sampling, progress);
    }

    public TaskContext withShots(Integer k) {
        return new TaskContext(dataDir, limit, k, seed, sampling, progress);
    }

    public TaskContext withSeed(long s) {
        return new TaskContext(dataDir, limit, shots, s, sampling, progress);
    }

    public TaskContext withProgress(Progress p) {
        return new TaskContext(dataDir, limit, shots, seed, sampling, p);
    }

    public TaskContext withSampling(SamplingParams s) {
        return new TaskContext(dataDir, limit, shots, seed, s, progress);
    }

    /** The task's default unless the user chose a number of shots. */
    public int shotsOr(int taskDefault) {
        return shots != null ? shots : taskDefault;
    }

    /** The first {@code limit} items (all when limit is 0). */
    public <T> java.util.List<T> limited(java.util.List<T> items) {
        return limit > 0 && items.size() > limit ? items.subList(0, limit) : items;
    }
}
