package org.emma4j.model.data.mix;

import java.util.List;

/**
 * A data mix: what to read, in which proportions, and how to pack it (see {@link MixConfigReader} for the
 * YAML file). Records are data only; validation happens when reading.
 *
 * @param seed every random choice of the pipeline derives from it (same seed, same bytes)
 * @param seqLen T, the context length: sequences are stored with T + 1 tokens (inputs and shifted labels)
 * @param bos where BOS goes
 * @param dtype how ids are stored
 * @param totalTokens the size of the training split in tokens (documents' own tokens), or null for the
 *        natural size (see {@link MixPlanner})
 * @param shardTokens the most tokens per shard file (rounded down to whole sequences)
 * @param heldout the validation split
 * @param sources the sources, in order
 */
public record MixConfig(long seed, int seqLen, BosPolicy bos, TokenDType dtype, Long totalTokens, long shardTokens,
                        HeldoutConfig heldout, List<SourceConfig> sources) {
    public MixConfig {
        sources = List.copyOf(sources);
    }

    /** Tokens per stored sequence: T + 1. */
    public int sequenceTokens() {
        return seqLen + 1;
    }
}
