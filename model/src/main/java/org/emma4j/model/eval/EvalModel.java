package org.emma4j.model.eval;

import java.util.List;

/**
 * What a benchmark asks of a language model, with lm-evaluation-harness' request types plus the next-token
 * logits that the EMMA-500 topic-classification scripts read. Implementations: {@link LlamaEvalModel}; tests
 * use scripted fakes.
 */
public interface EvalModel {

    /** Log-likelihoods of continuations given contexts, one result per request, in order. */
    List<LoglikelihoodResult> loglikelihood(List<LoglikelihoodRequest> requests);

    /** Log-likelihood of each whole text, BOS first, over rolling windows of the model's maximum length. */
    List<RollingResult> rollingLoglikelihood(List<String> texts);

    /** One generated text per request, in order. */
    List<String> generate(List<GenerationRequest> requests);

    /** The logits for the token after BOS + {@code prompt}. */
    float[] nextTokenLogits(String prompt);

    /** The last token id of BOS + {@code text} (Hugging Face's {@code tokenizer(text).input_ids[-1]}). */
    int lastTokenId(String text);
}
