package org.emma4j.model.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorScope;
import org.emma4j.model.llama.Generator;
import org.emma4j.model.llama.KvCache;
import org.emma4j.model.llama.LlamaInference;
import org.emma4j.model.llama.LlamaModel;
import org.emma4j.model.tokenizer.Llama3Tokenizer;
import org.emma4j.model.tokenizer.SpecialTokenHandling;

/**
 * The evaluation engine for a Llama model, with lm-evaluation-harness semantics:
 *
 * <ul>
 *   <li>{@link #loglikelihood}: pairs are encoded as {@link ContinuationEncoding} says; the model reads
 *       context + continuation minus its last token, left-truncated to {@code maxLength} tokens when longer,
 *       and the continuation's log-probabilities are read from the logit rows in double
 *       ({@link LogSoftmax}). Requests that share a context (the choices of one question) share its KV cache:
 *       the context minus its last token is run once, and each continuation starts from it after a
 *       {@link KvCache#truncate}.</li>
 *   <li>{@link #rollingLoglikelihood}: the text's tokens (no BOS) in {@link RollingWindows} with BOS as the
 *       prefix token and context length 1, each window run afresh.</li>
 *   <li>{@link #generate}: BOS + prompt, left-truncated so that the prompt and the new tokens fit (at most half
 *       the context is generated), through {@link Generator} (stop strings, end-of-sequence ids, token limit,
 *       greedy or sampled).</li>
 * </ul>
 *
 * Sequences run one after another (a KV cache holds one sequence); "batched" here means that a call takes
 * many requests and shares work between them. Special-token text inside documents is parsed, as Hugging
 * Face's tokenizer does.
 */
public final class LlamaEvalModel implements EvalModel, AutoCloseable {
    private final LlamaInference inference;
    private final Llama3Tokenizer tokenizer;
    private final Set<Integer> stopIds;
    private final DType cacheDtype;
    private final int maxLength;
    private final int vocab;
    private final TensorScope scope;
    private final KvCache cache;

    /**
     * @param maxLength the longest sequence the model reads (the harness' max_length); at most the inference
     *                  object's positions
     */
    public LlamaEvalModel(LlamaInference inference, Llama3Tokenizer tokenizer, Set<Integer> stopIds, DType cacheDtype, int maxLength) {
        if (tokenizer == null) {
            throw new IllegalArgumentException("evaluation needs the model's tokenizer (tokenizer.json or tokenizer.model)");
        }
        if (maxLength < 2 || maxLength > inference.maxPositions()) {
            throw new IllegalArgumentException("max length must lie in [2, " + inference.maxPositions() + "], found " + maxLength);
        }
        this.inference = inference;
        this.tokenizer = tokenizer;
        this.stopIds = Set.copyOf(stopIds);
        this.cacheDtype = cacheDtype;
        this.maxLength = maxLength;
        this.vocab = inference.config().vocabSize();
        this.scope = inference.backend().newScope();
        this.cache = inference.newCache(scope, cacheDtype, maxLength);
    }

    /** An engine over a loaded model, stopping generation at the config's end-of-sequence ids. */
    public static LlamaEvalModel of(LlamaModel model, int maxLength) {
        return new LlamaEvalModel(model.inference(), model.tokenizer(), Set.copyOf(model.config().eosTokenIds()), DType.F32,
                Math.min(maxLength, model.inference().maxPositions()));
    }

    public int maxLength() {
        return maxLength;
    }

    int[] encode(String text) {
        return tokenizer.encode(text, SpecialTokenHandling.PARSE);
    }

    int[] encodeWithBos(String text) {
        return tokenizer.encodeWithBos(text, SpecialTokenHandling.PARSE);
    }

    @Override
    public List<LoglikelihoodResult> loglikelihood(List<LoglikelihoodRequest> requests) {
        LoglikelihoodResult[] out = new LoglikelihoodResult[requests.size()];
        Map<String, List<Integer>> byContext = new LinkedHashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            byContext.computeIfAbsent(requests.get(i).context(), k -> new ArrayList<>()).add(i);
        }
        for (List<Integer> group : byContext.values()) {
            boolean prefixReady = false;
            for (int i : group) {
                LoglikelihoodRequest r = requests.get(i);
                ContinuationEncoding.Pair pair = ContinuationEncoding.encode(r.context(), r.continuation(), this::encodeWithBos,
                        this::encode, tokenizer.bosId());
                int[] ctx = pair.context();
                int[] cont = pair.continuation();
                if (cont.length == 0) {
                    throw new IllegalArgumentException("continuation '" + r.continuation() + "' of context '" + abbreviate(r.context())
                            + "' encodes to no tokens");
                }
                if (cont.length > maxLength) {
                    throw new IllegalArgumentException("continuation of " + cont.length + " tokens does not fit the model's "
                            + maxLength + "-token context");
                }
                if (ctx.length + cont.length - 1 > maxLength) {
                    // Too long: the harness keeps the last maxLength + 1 tokens and feeds all but the last.
                    int[] full = concat(ctx, cont);
                    int[] input = Arrays.copyOfRange(full, full.length - maxLength - 1, full.length - 1);
                    cache.truncate(0);
                    out[i] = score(input, cont);
                    prefixReady = false;
                } else {
                    if (!prefixReady) {
                        cache.truncate(0);
                        feed(Arrays.copyOf(ctx, ctx.length - 1));
                        prefixReady = true;
                    }
                    cache.truncate(ctx.length - 1);
                    int[] input = new int[cont.length];
                    input[0] = ctx[ctx.length - 1];
                    System.arraycopy(cont, 0, input, 1, cont.length - 1);
                    out[i] = score(input, cont);
                }
            }
        }
        return List.of(out);
    }

    @Override
    public List<RollingResult> rollingLoglikelihood(List<String> texts) {
        List<RollingResult> out = new ArrayList<>(texts.size());
        for (String text : texts) {
            int[] tokens = encode(text);
            double ll = 0;
            for (RollingWindows.Window w : RollingWindows.windows(tokens, tokenizer.bosId(), maxLength, 1)) {
                cache.truncate(0);
                ll += score(w.input(), w.predicted()).logLikelihood();
            }
            out.add(new RollingResult(ll, tokens.length));
        }
        return out;
    }

    @Override
    public List<String> generate(List<GenerationRequest> requests) {
        List<String> out = new ArrayList<>(requests.size());
        Generator generator = new Generator(inference, tokenizer);
        for (GenerationRequest r : requests) {
            // At most half the context is generated, so that a short context still leaves room for the prompt.
            int newTokens = Math.min(r.maxTokens(), maxLength / 2);
            int[] ids = leftTruncate(encodeWithBos(r.prompt()), maxLength - newTokens);
            var request = new Generator.Request(ids, newTokens, r.sampling(), stopIds, r.stopStrings());
            out.add(generator.generate(request, cacheDtype, (id, text) -> { }).text());
        }
        return out;
    }

    @Override
    public float[] nextTokenLogits(String prompt) {
        int[] ids = leftTruncate(encodeWithBos(prompt), maxLength);
        cache.truncate(0);
        float[] last = null;
        for (int start = 0; start < ids.length; start += inference.maxChunk()) {
            int end = Math.min(ids.length, start + inference.maxChunk());
            last = inference.backend().toFloats(inference.forward(Arrays.copyOfRange(ids, start, end), cache, false));
        }
        return last;
    }

    @Override
    public int lastTokenId(String text) {
        int[] ids = encodeWithBos(text);
        return ids[ids.length - 1];
    }

    /** Runs tokens through the model (extending the cache) without reading logits. */
    private void feed(int[] tokens) {
        for (int start = 0; start < tokens.length; start += inference.maxChunk()) {
            int end = Math.min(tokens.length, start + inference.maxChunk());
            inference.forward(Arrays.copyOfRange(tokens, start, end), cache, false);
        }
    }

    /**
     * Runs {@code input} from the cache's current position; the last {@code targets.length} inputs' logit rows
     * predict {@code targets}.
     */
    private LoglikelihoodResult score(int[] input, int[] targets) {
        int firstScored = input.length - targets.length;
        double ll = 0;
        boolean greedy = true;
        for (int start = 0; start < input.length; start += inference.maxChunk()) {
            int end = Math.min(input.length, start + inference.maxChunk());
            boolean needed = end > firstScored;
            Tensor logits = inference.forward(Arrays.copyOfRange(input, start, end), cache, needed);
            if (!needed) {
                continue;
            }
            float[] rows = inference.backend().toFloats(logits);
            for (int p = Math.max(start, firstScored); p < end; p++) {
                int offset = (p - start) * vocab;
                int target = targets[p - firstScored];
                ll += LogSoftmax.logProb(rows, offset, vocab, target);
                greedy &= LogSoftmax.argmax(rows, offset, vocab) == target;
            }
        }
        return new LoglikelihoodResult(ll, greedy, targets.length);
    }

    private static int[] leftTruncate(int[] ids, int keep) {
        return ids.length <= keep ? ids : Arrays.copyOfRange(ids, ids.length - keep, ids.length);
    }

    private static int[] concat(int[] a, int[] b) {
        int[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : "…" + s.substring(s.length() - 60);
    }

    @Override
    public void close() {
        scope.close();
    }
}
