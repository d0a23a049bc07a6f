package org.emma4j.model.train;

import java.util.List;

/**
 * One optimizer step over a global batch made of several micro-batches (gradient accumulation). The loss is
 * the mean over every labelled token of the global batch: each micro-batch's gradient is scaled by
 * {@code 1 / (labelled tokens in the whole global batch)}, counted before any backward pass, so micro-batches
 * with more labelled tokens weigh more, exactly as if the global batch had run at once.
 */
public final class GlobalBatchStep {
    private GlobalBatchStep() {
    }

    /**
     * @param loss   mean loss over the global batch's labelled tokens
     * @param tokens labelled tokens in the global batch
     * @param update the optimizer's report (not applied when the loss or the gradient norm is not finite)
     */
    public record Result(double loss, long tokens, AdamW.StepReport update) {
    }

    public static Result run(LlamaTraining model, AdamW optimizer, List<MicroBatch> microBatches, float lr, AdamW.Settings settings) {
        long tokens = 0;
        for (MicroBatch mb : microBatches) {
            tokens += mb.labelledTokens();
        }
        if (tokens == 0) {
            throw new IllegalArgumentException("the global batch has no labelled token: every label is the ignore label");
        }
        float scale = (float) (1.0 / tokens);
        model.zeroGradients();
        double sum = 0;
        for (MicroBatch mb : microBatches) {
            sum += model.forwardBackward(mb.inputs(), mb.labels(), scale).sum();
        }
        double loss = sum / tokens;
        if (!Double.isFinite(loss)) {
            return new Result(loss, tokens, new AdamW.StepReport(Double.NaN, false, optimizer.steps()));
        }
        AdamW.StepReport report = optimizer.step(model.master(), model.gradients(), model.computeWeights(), lr, settings);
        return new Result(loss, tokens, report);
    }
}
