package org.emma4j.model.llama;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.TensorScope;
import org.emma4j.model.tokenizer.Llama3Tokenizer;
import org.emma4j.model.tokenizer.StreamingDecoder;

/**
 * Autoregressive generation: prefill the prompt (chunked GEMMs), then decode one token at a time with the
 * KV cache, stopping at an end-of-sequence id, a stop string, the token limit or the cache's end. Tokens
 * are streamed to a listener as they come.
 */
public final class Generator {

    /** What to generate. {@code stopStrings} need a tokenizer (they are matched on the decoded text). */
    public record Request(int[] promptIds, int maxNewTokens, SamplingParams sampling, Set<Integer> stopIds,
                          List<String> stopStrings) {
        public Request {
            if (promptIds.length == 0) {
                throw new IllegalArgumentException("the prompt is empty: generation needs at least one token (add BOS)");
            }
            if (maxNewTokens < 0) {
                throw new IllegalArgumentException("max new tokens must be >= 0, found " + maxNewTokens);
            }
            promptIds = promptIds.clone();
            stopIds = Set.copyOf(stopIds);
            stopStrings = List.copyOf(stopStrings);
        }
    }

    /** Why generation ended. */
    public enum StopReason { EOS, STOP_STRING, MAX_TOKENS, CONTEXT_FULL }

    /**
     * The outcome. {@code text} is the decoded continuation (cut before a stop string), or null without a
     * tokenizer; the timings are wall-clock seconds for prefill and for decoding.
     */
    public record Result(int[] promptIds, int[] generatedIds, String text, StopReason stopReason,
                         double prefillSeconds, double decodeSeconds) {
        public double decodeTokensPerSecond() {
            return generatedIds.length <= 1 || decodeSeconds <= 0 ? 0 : (generatedIds.length - 1) / decodeSeconds;
        }

        public double prefillTokensPerSecond() {
            return prefillSeconds <= 0 ? 0 : promptIds.length / prefillSeconds;
        }
    }

    /** Receives each generated token and the text it completes ("" without a tokenizer or mid-character). */
    @FunctionalInterface
    public interface TokenListener {
        void onToken(int id, String text);
    }

    private final LlamaInference model;
    private final Llama3Tokenizer tokenizer;

    /** {@code tokenizer} may be null: generation then works on ids alone. */
    public Generator(LlamaInference model, Llama3Tokenizer tokenizer) {
        this.model = model;
        this.tokenizer = tokenizer;
    }

    public Result generate(Request request, DType cacheDtype, TokenListener listener) {
        if (!request.stopStrings().isEmpty() && tokenizer == null) {
            throw new IllegalArgumentException("stop strings need a tokenizer; this model directory has none (use stop ids)");
        }
        int capacity = Math.min(model.maxPositions(), request.promptIds().length + request.maxNewTokens());
        if (request.promptIds().length > capacity) {
            throw new IllegalArgumentException("the prompt has " + request.promptIds().length + " tokens but the context holds "
                    + model.maxPositions());
        }
        try (TensorScope scope = model.backend().newScope()) {
            KvCache cache = model.newCache(scope, cacheDtype, Math.max(1, capacity));
            Sampler sampler = new Sampler(request.sampling());
            StreamingDecoder decoder = tokenizer == null ? null : tokenizer.streamingDecoder();
            StringBuilder text = new StringBuilder();
            int[] generated = new int[request.maxNewTokens()];
            int count = 0;
            StopReason reason = StopReason.MAX_TOKENS;

            long t0 = System.nanoTime();
            float[] logits = request.maxNewTokens() == 0 ? null : model.prefill(request.promptIds(), cache);
            long t1 = System.nanoTime();
            while (count < request.maxNewTokens()) {
                int next = sampler.sample(logits);
                generated[count++] = next;
                String piece = decoder == null ? "" : decoder.next(next);
                if (request.stopIds().contains(next)) {
                    listener.onToken(next, "");
                    reason = StopReason.EOS;
                    break;
                }
                text.append(piece);
                int stopAt = firstStop(text, request.stopStrings(), piece.length());
                if (stopAt >= 0) {
                    listener.onToken(next, piece.substring(0, Math.max(0, piece.length() - (text.length() - stopAt))));
                    text.setLength(stopAt);
                    reason = StopReason.STOP_STRING;
                    break;
                }
                listener.onToken(next, piece);
                if (count == request.maxNewTokens()) {
                    break;
                }
                if (cache.length() >= cache.capacity()) {
                    reason = StopReason.CONTEXT_FULL;
                    break;
                }
                logits = model.backend().toFloats(model.forward(new int[] {next}, cache, false));
            }
            if (decoder != null && reason != StopReason.STOP_STRING) {
                text.append(decoder.finish());
            }
            long t2 = System.nanoTime();
            return new Result(request.promptIds(), Arrays.copyOf(generated, count), tokenizer == null ? null : text.toString(),
                    reason, (t1 - t0) / 1e9, (t2 - t1) / 1e9);
        }
    }

    /** The earliest index where a stop string occurs in the text, searching only near the new piece; -1 if none. */
    private static int firstStop(StringBuilder text, List<String> stops, int pieceLength) {
        int best = -1;
        for (String s : stops) {
            int from = Math.max(0, text.length() - pieceLength - s.length() + 1);
            int at = text.indexOf(s, from);
            if (at >= 0 && (best < 0 || at < best)) {
                best = at;
            }
        }
        return best;
    }
}
