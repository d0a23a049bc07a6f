package org.emma4j.model.train;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The counters of a run that a checkpoint saves beside the weights and the optimizer moments
 * ({@code trainer_state.json}). The only randomness of a step is the data order, a function of the seed and
 * the data position, so these two are the run's complete random state.
 *
 * @param step           optimizer steps taken (applied or skipped)
 * @param optimizerSteps AdamW updates applied (the bias-correction counter)
 * @param tokensSeen     token positions trained on
 * @param badSteps       steps skipped for a NaN/Inf loss or gradient norm
 * @param trainData      where the training data continues
 * @param seed           the run's seed (the data order)
 * @param threads        CPU threads of the run (bit-exact resume needs the same count)
 * @param device         the backend the run trained on, as it names itself ("cpu(8 threads)", "cuda:0 (NVIDIA H200)");
 *                       null in checkpoints written before it was recorded, which all come from the CPU
 * @param precision      fp32 or bf16
 * @param elapsedSeconds training wall time so far, across resumes
 */
public record TrainerState(
        @JsonProperty("step") long step,
        @JsonProperty("optimizer_steps") long optimizerSteps,
        @JsonProperty("tokens_seen") long tokensSeen,
        @JsonProperty("bad_steps") int badSteps,
        @JsonProperty("train_data") DataPosition trainData,
        @JsonProperty("seed") long seed,
        @JsonProperty("threads") int threads,
        @JsonProperty("device") String device,
        @JsonProperty("precision") String precision,
        @JsonProperty("elapsed_seconds") double elapsedSeconds) {

    /** The file in a checkpoint directory; its presence marks the directory complete. */
    public static final String FILE = "trainer_state.json";

    /** The kind of device in a backend name: its leading word, "cpu" or "cuda" (Backend names start with it). */
    static String deviceKind(String backendName) {
        int end = 0;
        while (end < backendName.length() && Character.isLetterOrDigit(backendName.charAt(end))) {
            end++;
        }
        return backendName.substring(0, end);
    }
}
