package org.emma4j.model.eval;

import java.util.List;
import org.emma4j.model.llama.SamplingParams;

/**
 * Generate after {@code prompt} until a stop string, an end-of-sequence token or {@code maxTokens} new
 * tokens; the text returned stops before the first stop string.
 */
public record GenerationRequest(String prompt, List<String> stopStrings, int maxTokens, SamplingParams sampling) {
    public GenerationRequest {
        if (maxTokens <= 0) {
            throw new IllegalArgumentException("maxTokens must be positive, found " + maxTokens);
        }
        stopStrings = List.copyOf(stopStrings);
    }
}
