package org.emma4j.model.eval.tasks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.emma4j.model.eval.EvalModel;
import org.emma4j.model.eval.GenerationRequest;
import org.emma4j.model.eval.LoglikelihoodRequest;
import org.emma4j.model.eval.LoglikelihoodResult;
import org.emma4j.model.eval.RollingResult;
import org.emma4j.model.eval.metrics.PythonStrings;

/**
 * A fake model for task tests: it records every request and answers from functions the test sets. By default a
 * continuation scores −1 per character (so raw log-likelihood prefers short choices and acc_norm, which
 * divides by the choice without its delimiter, prefers long ones), a rolling text −2 per character over one
 * token per character, generation returns "", and token ids are handed out in order of first request.
 */
final class ScriptedEvalModel implements EvalModel {
    final List<LoglikelihoodRequest> loglikelihoodRequests = new ArrayList<>();
    final List<GenerationRequest> generationRequests = new ArrayList<>();
    final List<String> logitPrompts = new ArrayList<>();
    final Map<String, Integer> tokenIds = new LinkedHashMap<>();
    ToDoubleFunction<LoglikelihoodRequest> scorer = r -> -PythonStrings.length(r.continuation());
    Function<String, String> generator = p -> "";
    BiFunction<String, Integer, Float> logit = (prompt, id) -> 0f;
    static final int VOCAB = 64;

    @Override
    public List<LoglikelihoodResult> loglikelihood(List<LoglikelihoodRequest> requests) {
        loglikelihoodRequests.addAll(requests);
        return requests.stream().map(r -> new LoglikelihoodResult(scorer.applyAsDouble(r), false, 1)).toList();
    }

    @Override
    public List<RollingResult> rollingLoglikelihood(List<String> texts) {
        return texts.stream().map(t -> new RollingResult(-2.0 * PythonStrings.length(t), PythonStrings.length(t))).toList();
    }

    @Override
    public List<String> generate(List<GenerationRequest> requests) {
        generationRequests.addAll(requests);
        return requests.stream().map(r -> generator.apply(r.prompt())).toList();
    }

    @Override
    public float[] nextTokenLogits(String prompt) {
        logitPrompts.add(prompt);
        float[] logits = new float[VOCAB];
        for (int i = 0; i < VOCAB; i++) {
            logits[i] = logit.apply(prompt, i);
        }
        return logits;
    }

    @Override
    public int lastTokenId(String text) {
        return tokenIds.computeIfAbsent(text, t -> tokenIds.size());
    }
}
