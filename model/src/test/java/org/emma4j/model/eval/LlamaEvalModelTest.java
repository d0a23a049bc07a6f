package org.emma4j.model.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.emma4j.kernels.Backend;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.TestTensors;
import org.emma4j.kernels.cpu.CpuBackend;
import org.emma4j.model.eval.metrics.PythonStrings;
import org.emma4j.model.llama.LlamaModel;
import org.emma4j.model.llama.SamplingParams;
import org.emma4j.model.tokenizer.Llama3Tokenizer;
import org.emma4j.model.tokenizer.SpecialTokenHandling;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine against the model's own forward pass: {@link LlamaModel#logits} on the concatenated ids of a fresh
 * sequence, log-softmax in double here. The engine reaches the same rows another way (a shared context prefix
 * in the KV cache, prefill chunks of 16, truncated caches reused), so float32 rounding differs slightly:
 * tolerance |Δ| ≤ 1e-4·(1 + |ll|) on summed log-likelihoods (logits are O(1), a few dozen tokens). A tiny random
 * model (2 layers, width 32, ~330-token vocabulary), max length 40 so that truncation and several rolling
 * windows happen.
 */
class LlamaEvalModelTest {
    private static final int MAX_LENGTH = 40;
    private static long seed;
    private static Backend backend;
    private static LlamaModel model;
    private static Llama3Tokenizer tok;
    private static LlamaEvalModel engine;

    @TempDir
    static Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        seed = TestTensors.freshSeed();
        backend = new CpuBackend(2);
        model = TinyLlama.create(dir, backend, seed, 128, 16);
        tok = model.tokenizer();
        engine = new LlamaEvalModel(model.inference(), tok, Set.copyOf(model.config().eosTokenIds()), DType.F32, MAX_LENGTH);
    }

    @AfterAll
    static void tearDown() {
        engine.close();
        model.close();
        backend.close();
    }

    private static int[] withBos(String s) {
        return tok.encodeWithBos(s, SpecialTokenHandling.PARSE);
    }

    private static double logProb(float[] row, int target) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : row) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (float v : row) {
            sum += Math.exp(v - max);
        }
        return row[target] - max - Math.log(sum);
    }

    private static boolean isArgmax(float[] row, int target) {
        for (int i = 0; i < row.length; i++) {
            if (row[i] > row[target] || (row[i] == row[target] && i < target)) {
                return false;
            }
        }
        return true;
    }

    /** Reference: the log-likelihood and greediness of the last {@code n} tokens of {@code ids}, read from one forward pass. */
    private static LoglikelihoodResult reference(int[] ids, int n) {
        float[][] logits = model.logits(Arrays.copyOf(ids, ids.length - 1));
        double ll = 0;
        boolean greedy = true;
        for (int j = ids.length - n; j < ids.length; j++) {
            ll += logProb(logits[j - 1], ids[j]);
            greedy &= isArgmax(logits[j - 1], ids[j]);
        }
        return new LoglikelihoodResult(ll, greedy, n);
    }

    /** Reference ids of a pair, written out from the harness' rules: trailing context whitespace joins the continuation. */
    private static int[][] referencePair(String context, String continuation) {
        if (context.isEmpty()) {
            return new int[][] {new int[] {tok.bosId()}, tok.encode(continuation, SpecialTokenHandling.PARSE)};
        }
        String ctx = PythonStrings.rstrip(context);
        int[] ctxIds = withBos(ctx);
        int[] whole = withBos(ctx + context.substring(ctx.length()) + continuation);
        return new int[][] {ctxIds, Arrays.copyOfRange(whole, ctxIds.length, whole.length)};
    }

    private static int[] concat(int[] a, int[] b) {
        int[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static void assertClose(String what, LoglikelihoodResult expected, LoglikelihoodResult actual) {
        double tol = 1e-4 * (1 + Math.abs(expected.logLikelihood()));
        assertEquals(expected.logLikelihood(), actual.logLikelihood(), tol, what + " log-likelihood (seed " + seed + ")");
        assertEquals(expected.greedy(), actual.greedy(), what + " greedy (seed " + seed + ")");
        assertEquals(expected.tokens(), actual.tokens(), what + " token count (seed " + seed + ")");
    }

    @Test
    void loglikelihoodsMatchTheForwardPass() {
        List<LoglikelihoodRequest> requests = List.of(
                new LoglikelihoodRequest("abc de fa", " bead"),
                new LoglikelihoodRequest("abc de fa", " é"),
                new LoglikelihoodRequest("abc de fa", " cafe face deed"),
                new LoglikelihoodRequest("fee fad ", "bead"),
                new LoglikelihoodRequest("fee fad", " bead"),
                new LoglikelihoodRequest("", "abc de fa"),
                new LoglikelihoodRequest("abc de fa", "d"));
        List<LoglikelihoodResult> got = engine.loglikelihood(requests);
        for (int i = 0; i < requests.size(); i++) {
            LoglikelihoodRequest r = requests.get(i);
            int[][] pair = referencePair(r.context(), r.continuation());
            assertClose("request " + r, reference(concat(pair[0], pair[1]), pair[1].length), got.get(i));
        }
        // Moving the trailing space gives the same tokens, hence the same score.
        assertEquals(got.get(3).logLikelihood(), got.get(4).logLikelihood(), 1e-9);
        // The same request scored alone (fresh cache) agrees with its score after other choices reused the cache.
        assertEquals(got.get(2).logLikelihood(), engine.loglikelihood(List.of(requests.get(2))).get(0).logLikelihood(), 1e-9);
    }

    @Test
    void greedyContinuationIsRecognised() {
        int found = 0;
        // Random contexts over the fixture's words until a few end where the argmax token re-encodes exactly.
        String[] words = {"abc", "de", "fa", "face", "bead", "dead", "fee", "cab", "fad", "bee", "é", "ab"};
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
        List<String> contexts = new java.util.ArrayList<>();
        for (int i = 0; i < 400; i++) {
            StringBuilder sb = new StringBuilder(words[rnd.nextInt(words.length)]);
            for (int w = rnd.nextInt(3); w > 0; w--) {
                sb.append(' ').append(words[rnd.nextInt(words.length)]);
            }
            contexts.add(sb.toString());
        }
        for (String context : contexts) {
            if (found >= 3) {
                break;
            }
            int[] ctx = withBos(context);
            float[][] logits = model.logits(ctx);
            int next = 0;
            for (int v = 1; v < logits[ctx.length - 1].length; v++) {
                if (logits[ctx.length - 1][v] > logits[ctx.length - 1][next]) {
                    next = v;
                }
            }
            if (tok.isSpecial(next)) {
                continue;
            }
            String text = tok.decode(new int[] {next});
            if (!Arrays.equals(withBos(context + text), concat(ctx, new int[] {next})) || !PythonStrings.rstrip(context).equals(context)) {
                continue; // the text would not re-encode to exactly this token after the context
            }
            LoglikelihoodResult r = engine.loglikelihood(List.of(new LoglikelihoodRequest(context, text))).get(0);
            assertTrue(r.greedy(), "the argmax token after '" + context + "' should count as greedy (seed " + seed + ")");
            assertEquals(logProb(logits[ctx.length - 1], next), r.logLikelihood(), 1e-4);
            found++;
        }
        assertTrue(found > 0, "no context re-encoded its argmax token; pick other contexts (seed " + seed + ")");
    }

    @Test
    void longInputsAreTruncatedOnTheLeftAsTheHarnessDoes() {
        String context = "abc de fa ".repeat(12) + "cafe";
        String continuation = " bead face";
        int[][] pair = referencePair(context, continuation);
        int[] full = concat(pair[0], pair[1]);
        assertTrue(full.length > MAX_LENGTH + 1, "the test needs a context longer than the max length");
        int[] kept = Arrays.copyOfRange(full, full.length - MAX_LENGTH - 1, full.length);
        LoglikelihoodResult got = engine.loglikelihood(List.of(new LoglikelihoodRequest(context, continuation))).get(0);
        assertClose("truncated", reference(kept, pair[1].length), got);
    }

    @Test
    void rollingLoglikelihoodCoversEveryTokenOnce() {
        String longText = "dead beef cafe face fade bead abc de ".repeat(6);
        String shortText = "cafe bead";
        List<RollingResult> got = engine.rollingLoglikelihood(List.of(longText, shortText, ""));
        int[] tokens = tok.encode(longText, SpecialTokenHandling.PARSE);
        assertTrue(tokens.length > 2 * MAX_LENGTH, "the test needs several windows");
        double expected = 0;
        for (RollingWindows.Window w : RollingWindows.windows(tokens, tok.bosId(), MAX_LENGTH, 1)) {
            int[] ids = concat(w.context(), w.predicted());
            expected += reference(ids, w.predicted().length).logLikelihood();
        }
        assertEquals(tokens.length, got.get(0).tokens());
        assertEquals(expected, got.get(0).logLikelihood(), 1e-4 * (1 + Math.abs(expected)), "seed " + seed);
        // A short text is one window: BOS then every token.
        int[] shortIds = withBos(shortText);
        LoglikelihoodResult one = reference(shortIds, shortIds.length - 1);
        assertEquals(one.logLikelihood(), got.get(1).logLikelihood(), 1e-4 * (1 + Math.abs(one.logLikelihood())));
        assertEquals(0, got.get(2).tokens());
        assertEquals(0.0, got.get(2).logLikelihood());
    }

    @Test
    void nextTokenLogitsAndLastTokenIds() {
        String prompt = "face bead\nabc";
        float[] got = engine.nextTokenLogits(prompt);
        float[][] ref = model.logits(withBos(prompt));
        TestTensors.assertClose("next-token logits", seed, TestTensors.toDouble(ref[ref.length - 1]), got, 1e-4, 1e-4);
        int[] ids = withBos(" deed");
        assertEquals(ids[ids.length - 1], engine.lastTokenId(" deed"));
    }

    @Test
    void greedyGenerationStopsAtStopStringsAndLimits() {
        String prompt = "abc de fa";
        int[] ids = withBos(prompt);
        List<Integer> generated = new ArrayList<>();
        int[] seq = ids;
        for (int i = 0; i < 8; i++) {
            float[][] logits = model.logits(seq);
            int next = 0;
            for (int v = 1; v < logits[seq.length - 1].length; v++) {
                if (logits[seq.length - 1][v] > logits[seq.length - 1][next]) {
                    next = v;
                }
            }
            if (model.config().eosTokenIds().contains(next)) {
                break;
            }
            generated.add(next);
            seq = concat(seq, new int[] {next});
        }
        String expected = tok.decode(generated.stream().mapToInt(Integer::intValue).toArray());
        String got = engine.generate(List.of(new GenerationRequest(prompt, List.of(), 8, SamplingParams.greedy()))).get(0);
        assertEquals(expected, got, "seed " + seed);
        if (expected.length() >= 3) {
            String stop = expected.substring(2, 3);
            String cut = engine.generate(List.of(new GenerationRequest(prompt, List.of(stop), 8, SamplingParams.greedy()))).get(0);
            assertEquals(expected.substring(0, expected.indexOf(stop)), cut);
        }
        SamplingParams sampled = new SamplingParams(1.0f, 0, 0.9f, 42);
        String s1 = engine.generate(List.of(new GenerationRequest(prompt, List.of(), 8, sampled))).get(0);
        String s2 = engine.generate(List.of(new GenerationRequest(prompt, List.of(), 8, sampled))).get(0);
        assertEquals(s1, s2, "sampling with one seed is reproducible");
        assertNotEquals(null, s1);
        assertArrayEquals(ids, withBos(prompt));
    }
}
