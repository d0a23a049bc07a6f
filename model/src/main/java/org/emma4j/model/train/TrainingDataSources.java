package org.emma4j.model.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.emma4j.model.data.shards.ShardIndex;

/** Opens the {@link TrainingData} a config's data path names: a JSON Lines file or a token shard directory. */
public final class TrainingDataSources {
    private TrainingDataSources() {
    }

    /** Fails early (before any weights are loaded) when a data path does not exist. */
    static void requireExists(String path) throws IOException {
        if (path != null && !Files.exists(Path.of(path))) {
            throw new java.nio.file.NoSuchFileException(path, null, "token data not found (a JSON Lines file or a shard directory)");
        }
    }

    /**
     * A JSON Lines file of pre-tokenized sequences (optionally {@code .gz}), or a token shard directory written by
     * {@code ./emma4j prepare}: its "train" split for training, its "validation" split for held-out evaluation.
     *
     * @param heldout whether this is the held-out set (file order for JSON Lines; the validation split of shards)
     * @param shuffle a new seeded order every epoch for JSON Lines (shards always come in the loader's seeded order)
     */
    public static TrainingData open(Path path, boolean heldout, int seqLen, int vocabSize, long seed, boolean shuffle) throws IOException {
        if (Files.isRegularFile(path)) {
            return new JsonlTokenData(path, seqLen, vocabSize, seed, shuffle && !heldout);
        }
        if (Files.isDirectory(path)) {
            if (!Files.isRegularFile(path.resolve(ShardIndex.FILE))) {
                throw new IllegalArgumentException(path + ": not a token shard directory (no " + ShardIndex.FILE
                        + "); give a directory written by ./emma4j prepare, or a JSON Lines file of {\"input_ids\": [...]}");
            }
            if (!heldout && !shuffle) {
                throw new IllegalArgumentException("data.shuffle: false applies to JSON Lines only; token shards always come in the data "
                        + "loader's seeded order (a permutation of (seed, epoch))");
            }
            return new ShardTokenData(path, heldout ? "validation" : "train", seqLen, vocabSize, seed);
        }
        throw new java.nio.file.NoSuchFileException(path.toString(), null, "token data not found (a JSON Lines file or a shard directory)");
    }
}
