/**
 * Evaluation: the {@link org.emma4j.model.eval.EvalModel} a task talks to (log-likelihoods of continuations,
 * rolling log-likelihoods for perplexity, generation, next-token logits), its Llama implementation
 * {@link org.emma4j.model.eval.LlamaEvalModel} with lm-evaluation-harness semantics, the metrics with the
 * definitions of their reference implementations ({@code metrics}), the benchmark readers and prompts
 * ({@code tasks}, {@code data}) and the result files, tables and charts ({@code report}).
 */
package org.emma4j.model.eval;
