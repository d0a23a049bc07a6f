package org.emma4j.model.train;

/**
 * What one optimizer step did, as logged.
 *
 * @param step            steps taken including this one (1-based)
 * @param maxSteps        steps of the whole run
 * @param loss            mean cross-entropy over every labelled token of the global batch
 * @param lr              the learning rate of this step
 * @param gradNorm        global gradient norm before clipping
 * @param applied         false when the loss or the gradient norm was NaN/Inf and the update was skipped
 * @param tokensSeen      token positions trained on so far, this step included
 * @param tokensPerSecond this step's token positions over its wall time
 * @param elapsedSeconds  wall time of the run so far, across resumes
 * @param etaSeconds      estimated time to the last step
 */
public record StepRecord(long step, long maxSteps, double loss, double lr, double gradNorm, boolean applied, long tokensSeen,
                         double tokensPerSecond, double elapsedSeconds, double etaSeconds) {
}
