package org.emma4j.model.train;

import java.io.IOException;
import java.nio.file.Path;
import org.emma4j.model.data.loader.DataLoader;
import org.emma4j.model.data.loader.LoaderPosition;
import org.emma4j.model.data.shards.ShardIndex;
import org.emma4j.model.data.shards.SplitInfo;

/**
 * One split of a token shard directory ({@code ./emma4j prepare}'s output) read through the data pipeline's
 * {@link DataLoader}: each epoch visits every packed sequence once, in the seeded permutation of
 * (seed, epoch). The loader runs with micro-batches of one sequence, so its position (epoch, step) is exactly
 * this source's (epoch, sequence), and the sequence order is the one the loader gives for any micro-batch.
 */
final class ShardTokenData implements TrainingData {
    private final Path dir;
    private final String split;
    private final DataLoader loader;
    private final int[] rowInputs;
    private final int[] rowLabels;

    /**
     * @param split "train" or "validation"
     */
    ShardTokenData(Path dir, String split, int seqLen, int vocabSize, long seed) throws IOException {
        ShardIndex index = ShardIndex.read(dir);
        SplitInfo info = index.splits().get(split);
        if (info == null) {
            throw new IllegalArgumentException(dir + ": the token shards have no '" + split + "' split (splits: " + index.splits().keySet()
                    + ")");
        }
        if (index.vocabSize() > vocabSize) {
            throw new IllegalArgumentException(dir + ": the shards were tokenized with a vocabulary of " + index.vocabSize()
                    + " tokens, more than the model's " + vocabSize);
        }
        this.dir = dir;
        this.split = split;
        this.loader = DataLoader.open(dir, split, seqLen, 1, seed, 0, 1);
        this.rowInputs = new int[seqLen];
        this.rowLabels = new int[seqLen];
    }

    @Override
    public int seqLen() {
        return loader.seqLen();
    }

    @Override
    public long sequencesPerEpoch() {
        return loader.sequenceCount();
    }

    @Override
    public void next(int[] inputs, int[] labels, int offset) {
        loader.nextBatch(rowInputs, rowLabels);
        System.arraycopy(rowInputs, 0, inputs, offset, rowInputs.length);
        System.arraycopy(rowLabels, 0, labels, offset, rowLabels.length);
    }

    @Override
    public DataPosition position() {
        LoaderPosition p = loader.position();
        return new DataPosition(p.epoch(), p.step());
    }

    @Override
    public void seek(DataPosition position) {
        if (position.sequence() >= loader.sequenceCount()) {
            throw new IllegalArgumentException(dir + " (" + split + "): cannot seek to sequence " + position.sequence() + " of epoch "
                    + position.epoch() + ": the split has " + loader.sequenceCount() + " sequences (is this the data the run was started with?)");
        }
        loader.seek(new LoaderPosition(position.epoch(), position.sequence()));
    }

    @Override
    public String describe() {
        return dir + " (token shards, " + split + " split: " + loader.sequenceCount() + " sequences of " + loader.seqLen() + ", seeded order)";
    }

    @Override
    public void close() {
        loader.close();
    }
}
