package org.emma4j.model.llama;

/**
 * How the next token is chosen from the logits. Temperature 0 means greedy (argmax); otherwise the logits
 * are divided by the temperature, cut to the {@code topK} most likely (0 = no cut), then to the smallest set
 * whose probability reaches {@code topP} (1 = no cut), and a token is drawn with a generator seeded by
 * {@code seed}.
 */
public record SamplingParams(float temperature, int topK, float topP, long seed) {
    public SamplingParams {
        if (!(temperature >= 0) || Float.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a finite number >= 0, found " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top-k must be >= 0 (0 disables it), found " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top-p must lie in (0, 1], found " + topP);
        }
    }

    public static SamplingParams greedy() {
        return new SamplingParams(0f, 0, 1f, 0L);
    }

    public boolean isGreedy() {
        return temperature == 0f;
    }
}
