package org.emma4j.model.llama;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.emma4j.kernels.Backend;
import org.emma4j.kernels.BackendsUnderTest;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.RopeFrequencies;
import org.emma4j.kernels.TensorScope;
import org.emma4j.kernels.TestTensors;
import org.emma4j.model.checkpoint.LlamaCheckpointWriter;
import org.emma4j.model.config.LlamaConfig;
import org.emma4j.model.safetensors.WriteProgress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inference forward pass against the independent float64 {@link ReferenceLlama}, on small random models
 * covering grouped-query attention, tied and untied heads, and Llama 3.1 rope scaling; a sharp-attention model
 * over ~100 tokens makes RoPE and scaling errors visible. Tolerance for F32 weights:
 * |err| ≤ 1e-4·max|logit| + 1e-4·|ref| (float32 accumulation over a few layers of widths ≤ 160);
 * for BF16 weights the reference uses the same bf16-rounded values, and only activations are rounded
 * differently, so the same tolerance holds.
 */
class LlamaInferenceTest {
    private static final List<Backend> BACKENDS = BackendsUnderTest.create();

    @AfterAll
    static void close() {
        BACKENDS.forEach(Backend::close);
    }

    private static int[] randomIds(SplittableRandom rnd, int n, int vocab) {
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = rnd.nextInt(vocab);
        }
        return ids;
    }

    private static void check(String what, long seed, double[][] expected, float[][] actual) {
        double max = 0;
        for (double[] row : expected) {
            for (double v : row) {
                max = Math.max(max, Math.abs(v));
            }
        }
        for (int t = 0; t < expected.length; t++) {
            TestTensors.assertClose(what + " logits at position " + t, seed, expected[t], actual[t], 1e-4, 1e-4 * max);
        }
    }

    private void compare(String what, LlamaConfig config, DType dtype, double qkStd, int tokens) {
        long seed = TestTensors.freshSeed();
        for (Backend backend : BACKENDS) {
            try (TensorScope scope = backend.newScope()) {
                RandomLlama model = new RandomLlama(backend, scope, config, dtype, qkStd, seed);
                int[] ids = randomIds(new SplittableRandom(seed + 1), tokens, config.vocabSize());
                try (LlamaInference inf = new LlamaInference(backend, config, model.weights, tokens, 32)) {
                    KvCache cache = inf.newCache(scope, DType.F32, tokens);
                    float[][] got = new float[tokens][];
                    for (int start = 0; start < tokens; start += 32) {
                        int end = Math.min(tokens, start + 32);
                        float[] flat = backend.toFloats(inf.forward(java.util.Arrays.copyOfRange(ids, start, end), cache, true));
                        for (int i = start; i < end; i++) {
                            got[i] = java.util.Arrays.copyOfRange(flat, (i - start) * config.vocabSize(), (i - start + 1) * config.vocabSize());
                        }
                    }
                    check(what + " on " + backend.name(), seed, model.reference().logits(ids), got);
                }
            }
        }
    }

    @Test
    void groupedQueryUntied() {
        compare("GQA untied", RandomLlama.config(48, 2, 6, 2, 8, 97, 131, 10000, null, false), DType.F32, 0.02, 19);
    }

    @Test
    void tiedWithLlama3Scaling() {
        var scaling = new RopeFrequencies.Llama3Scaling(8, 1, 4, 64);
        compare("tied llama3-scaled", RandomLlama.config(40, 2, 4, 1, 10, 70, 97, 500000, scaling, true), DType.F32, 0.02, 23);
    }

    @Test
    void bf16Weights() {
        compare("bf16", RandomLlama.config(32, 2, 4, 2, 8, 33, 67, 10000, null, false), DType.BF16, 0.05, 9);
    }

    /**
     * Sharp attention over 100 tokens: large query/key weights, a small theta and a small original context so
     * that all three llama3 bands occur; with these, a RoPE or scaling mistake moves the logits far past the
     * tolerance (checked below by perturbing the reference's scaling).
     */
    @Test
    void sharpAttentionOverLongSequence() {
        var scaling = new RopeFrequencies.Llama3Scaling(4, 1, 4, 32);
        LlamaConfig config = RandomLlama.config(64, 2, 4, 2, 16, 96, 101, 50, scaling, false);
        compare("sharp attention", config, DType.F32, 0.6, 100);

        // The test's power: the same model with the scaling factor changed gives clearly different logits.
        long seed = TestTensors.freshSeed();
        try (Backend cpu = BackendsUnderTest.create().getFirst(); TensorScope scope = cpu.newScope()) {
            RandomLlama model = new RandomLlama(cpu, scope, config, DType.F32, 0.6, seed);
            int[] ids = randomIds(new SplittableRandom(seed), 100, config.vocabSize());
            double[][] a = model.reference().logits(ids);
            RandomLlama other = new RandomLlama(cpu, scope, RandomLlama.config(64, 2, 4, 2, 16, 96, 101, 50,
                    new RopeFrequencies.Llama3Scaling(2, 1, 4, 32), false), DType.F32, 0.6, seed);
            double[][] b = other.reference().logits(ids);
            double maxDiff = 0;
            double maxAbs = 0;
            for (int t = 0; t < a.length; t++) {
                for (int v = 0; v < a[t].length; v++) {
                    maxDiff = Math.max(maxDiff, Math.abs(a[t][v] - b[t][v]));
                    maxAbs = Math.max(maxAbs, Math.abs(a[t][v]));
                }
            }
            assertTrue(maxDiff > 100 * 1e-4 * maxAbs, "changing rope scaling moved logits by only " + maxDiff
                    + " (max |logit| " + maxAbs + "): the sharp-attention model is not sensitive to RoPE");
        }
    }

    /** Decoding token by token with the cache gives the logits of recomputing the whole sequence. */
    @Test
    void kvCacheDecodingMatchesFullRecompute() {
        long seed = TestTensors.freshSeed();
        LlamaConfig config = RandomLlama.config(48, 2, 6, 3, 8, 64, 89, 500, new RopeFrequencies.Llama3Scaling(8, 1, 4, 16), false);
        for (Backend backend : BACKENDS) {
            try (TensorScope scope = backend.newScope()) {
                RandomLlama model = new RandomLlama(backend, scope, config, DType.F32, 0.4, seed);
                int[] ids = randomIds(new SplittableRandom(seed), 40, config.vocabSize());
                try (LlamaInference inf = new LlamaInference(backend, config, model.weights, 64, 16)) {
                    KvCache full = inf.newCache(scope, DType.F32, 64);
                    float[][] all = new float[ids.length][];
                    for (int start = 0; start < ids.length; start += 16) {
                        int end = Math.min(ids.length, start + 16);
                        float[] flat = backend.toFloats(inf.forward(java.util.Arrays.copyOfRange(ids, start, end), full, true));
                        for (int i = start; i < end; i++) {
                            all[i] = java.util.Arrays.copyOfRange(flat, (i - start) * config.vocabSize(), (i - start + 1) * config.vocabSize());
                        }
                    }
                    KvCache step = inf.newCache(scope, DType.F32, 64);
                    for (int i = 0; i < ids.length; i++) {
                        float[] one = backend.toFloats(inf.forward(new int[] {ids[i]}, step, false));
                        double[] expected = TestTensors.toDouble(all[i]);
                        // Same float32 arithmetic in another order (chunked GEMM vs GEMV): 1e-5 relative.
                        TestTensors.assertClose("decode step " + i + " on " + backend.name(), seed, expected, one, 1e-5, 1e-5);
                    }
                    assertEquals(ids.length, step.length());
                }
            }
        }
    }

    /** Writing the model as safetensors and loading it back gives bit-identical logits. */
    @Test
    void saveThenLoadIsBitExact(@TempDir Path dir) throws Exception {
        long seed = TestTensors.freshSeed();
        LlamaConfig config = RandomLlama.config(32, 2, 4, 2, 8, 40, 71, 10000, null, false);
        Backend backend = BACKENDS.getFirst();
        for (DType dtype : new DType[] {DType.F32, DType.BF16}) {
            try (TensorScope scope = backend.newScope()) {
                RandomLlama model = new RandomLlama(backend, scope, config, dtype, 0.1, seed);
                int[] ids = randomIds(new SplittableRandom(seed), 12, config.vocabSize());
                float[][] before;
                try (LlamaInference inf = new LlamaInference(backend, config, model.weights, 16, 16)) {
                    before = new float[1][];
                    before[0] = backend.toFloats(inf.forward(ids, inf.newCache(scope, DType.F32, 16), true));
                }
                Path out = dir.resolve("model-" + dtype);
                LlamaCheckpointWriter.write(out, config, model.weights, backend, dtype, LlamaCheckpointWriter.Options.defaults(),
                        WriteProgress.NONE);
                try (LlamaModel loaded = LlamaModel.load(out, backend, LlamaModel.Options.defaults().withMaxContext(16))) {
                    float[][] after = loaded.logits(ids);
                    float[] flat = new float[ids.length * config.vocabSize()];
                    for (int i = 0; i < ids.length; i++) {
                        System.arraycopy(after[i], 0, flat, i * config.vocabSize(), config.vocabSize());
                    }
                    assertArrayEquals(before[0], flat, "logits after save and load (" + dtype + ") must be bit-identical");
                }
            }
        }
    }
}
