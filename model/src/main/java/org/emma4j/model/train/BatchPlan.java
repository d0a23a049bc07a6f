package org.emma4j.model.train;

/**
 * How a config's batch sizes fit together: each optimizer step runs {@code accumulation} micro-batches of
 * {@code microBatch × seqLen} positions, so that micro-batch × accumulation = global batch exactly.
 *
 * @param maxSteps optimizer steps of the whole run (from max_steps, or max_tokens rounded up to whole steps)
 */
public record BatchPlan(int microBatch, int seqLen, int accumulation, long maxSteps) {

    public static BatchPlan of(TrainConfig c) {
        int micro = c.microBatch();
        int t = c.seqLen();
        long microTokens = (long) micro * t;
        long globalSequences;
        if (c.globalBatchTokens() != null) {
            long tokens = c.globalBatchTokens();
            if (tokens % microTokens != 0) {
                long below = Math.max(1, tokens / microTokens);
                throw new IllegalArgumentException("global_batch_tokens " + tokens + " is not a multiple of micro_batch × seq_len = " + micro
                        + " × " + t + " = " + microTokens + " tokens; use " + below * microTokens + " (" + below + " accumulation steps) or "
                        + (below + 1) * microTokens + " (" + (below + 1) + ")");
            }
            globalSequences = tokens / t;
        } else if (c.globalBatchSequences() != null) {
            globalSequences = c.globalBatchSequences();
            if (globalSequences % micro != 0) {
                long below = Math.max(1, globalSequences / micro);
                throw new IllegalArgumentException("global_batch_sequences " + globalSequences + " is not a multiple of micro_batch " + micro
                        + "; use " + below * micro + " (" + below + " accumulation steps) or " + (below + 1) * micro + " (" + (below + 1) + ")");
            }
        } else {
            globalSequences = micro;
        }
        long accumulation = globalSequences / micro;
        if (accumulation > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the global batch needs " + accumulation + " accumulation steps; that is too many");
        }
        long tokensPerStep = globalSequences * t;
        long steps = c.maxSteps() != null ? c.maxSteps() : Math.ceilDiv(c.maxTokens(), tokensPerStep);
        return new BatchPlan(micro, t, (int) accumulation, steps);
    }

    /** Sequences per optimizer step. */
    public long globalSequences() {
        return (long) microBatch * accumulation;
    }

    /** Token positions per optimizer step. */
    public long tokensPerStep() {
        return globalSequences() * seqLen;
    }
}
