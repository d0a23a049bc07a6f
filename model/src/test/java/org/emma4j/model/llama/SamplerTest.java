package org.emma4j.model.llama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.emma4j.kernels.TestTensors;
import org.junit.jupiter.api.Test;

/**
 * Sampling against its definition: frequencies over many draws match softmax(logits / T) restricted to the
 * top-k / top-p set, within 5 binomial standard deviations per token.
 */
class SamplerTest {

    private static float[] logits(long seed, int n) {
        return TestTensors.uniform(new SplittableRandom(seed), n, 3);
    }

    /** The distribution sampling should follow, computed in double. */
    private static double[] expected(float[] logits, float temperature, int topK, float topP) {
        int n = logits.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Float.compare(logits[b], logits[a]));
        int keep = topK > 0 ? Math.min(topK, n) : n;
        double[] p = new double[n];
        double sum = 0;
        for (int i = 0; i < keep; i++) {
            p[order[i]] = Math.exp((logits[order[i]] - logits[order[0]]) / (double) temperature);
            sum += p[order[i]];
        }
        double cumulative = 0;
        int cut = keep;
        for (int i = 0; i < keep; i++) {
            cumulative += p[order[i]] / sum;
            if (cumulative >= topP) {
                cut = i + 1;
                break;
            }
        }
        double mass = 0;
        for (int i = 0; i < cut; i++) {
            mass += p[order[i]];
        }
        double[] out = new double[n];
        for (int i = 0; i < cut; i++) {
            out[order[i]] = p[order[i]] / mass;
        }
        return out;
    }

    private void checkFrequencies(float temperature, int topK, float topP) {
        long seed = TestTensors.freshSeed();
        float[] z = logits(seed, 13);
        double[] p = expected(z, temperature, topK, topP);
        Sampler sampler = new Sampler(new SamplingParams(temperature, topK, topP, seed));
        int draws = 40000;
        int[] counts = new int[z.length];
        for (int i = 0; i < draws; i++) {
            counts[sampler.sample(z)]++;
        }
        for (int v = 0; v < z.length; v++) {
            double mean = draws * p[v];
            double sd = Math.sqrt(draws * p[v] * (1 - p[v]));
            assertTrue(Math.abs(counts[v] - mean) <= 5 * sd + (p[v] == 0 ? 0 : 1), String.format(
                    "token %d drawn %d times, expected %.1f ± %.1f (T=%s, k=%d, p=%s, seed %d)", v, counts[v], mean, sd, temperature, topK,
                    topP, seed));
        }
    }

    @Test
    void temperatureOnly() {
        checkFrequencies(0.7f, 0, 1f);
    }

    @Test
    void topK() {
        checkFrequencies(1.3f, 4, 1f);
    }

    @Test
    void topP() {
        checkFrequencies(1f, 0, 0.6f);
    }

    @Test
    void greedyIsArgmaxAndIgnoresNaN() {
        float[] z = {0.5f, Float.NaN, 2.5f, 2.5f, -1f};
        assertEquals(2, Sampler.argmax(z), "the first of tied maxima");
        assertEquals(2, new Sampler(SamplingParams.greedy()).sample(z));
        assertThrows(IllegalStateException.class, () -> Sampler.argmax(new float[] {Float.NaN, Float.NaN}));
    }

    @Test
    void badParametersAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new SamplingParams(-1f, 0, 1f, 0));
        assertThrows(IllegalArgumentException.class, () -> new SamplingParams(1f, -2, 1f, 0));
        assertThrows(IllegalArgumentException.class, () -> new SamplingParams(1f, 0, 0f, 0));
        assertThrows(IllegalArgumentException.class, () -> new SamplingParams(1f, 0, 1.5f, 0));
    }
}
