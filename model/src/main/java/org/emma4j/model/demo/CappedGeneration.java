package org.emma4j.model.demo;

import java.util.List;
import org.emma4j.model.eval.EvalModel;
import org.emma4j.model.eval.GenerationRequest;
import org.emma4j.model.eval.LoglikelihoodRequest;
import org.emma4j.model.eval.LoglikelihoodResult;
import org.emma4j.model.eval.RollingResult;

/** An eval model that generates at most {@code maxNewTokens} tokens per request, whatever the task asks: keeps the demo fast. */
record CappedGeneration(EvalModel model, int maxNewTokens) implements EvalModel {
    CappedGeneration {
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("max new tokens must be positive, found " + maxNewTokens);
        }
    }

    @Override
    public List<LoglikelihoodResult> loglikelihood(List<LoglikelihoodRequest> requests) {
        return model.loglikelihood(requests);
    }

    @Override
    public List<RollingResult> rollingLoglikelihood(List<String> texts) {
        return model.rollingLoglikelihood(texts);
    }

    @Override
    public List<String> generate(List<GenerationRequest> requests) {
        return model.generate(requests.stream()
                .map(r -> new GenerationRequest(r.prompt(), r.stopStrings(), Math.min(r.maxTokens(), maxNewTokens), r.sampling()))
                .toList());
    }

    @Override
    public float[] nextTokenLogits(String prompt) {
        return model.nextTokenLogits(prompt);
    }

    @Override
    public int lastTokenId(String text) {
        return model.lastTokenId(text);
    }
}
