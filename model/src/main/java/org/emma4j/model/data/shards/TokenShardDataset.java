package org.emma4j.model.data.shards;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One split of a shards directory (its files memory-mapped) as a single list of sequences. Checks that the
 * files agree with {@code index.json}: same sequence length and counts. Reads are thread-safe.
 */
public final class TokenShardDataset implements PackedSequences {
    private final ShardIndex index;
    private final List<TokenShard> shards;
    /** First global sequence index of each shard, plus the total at the end. */
    private final long[] starts;
    private final long validTokens;

    private TokenShardDataset(ShardIndex index, List<TokenShard> shards, long[] starts, long validTokens) {
        this.index = index;
        this.shards = shards;
        this.starts = starts;
        this.validTokens = validTokens;
    }

    /** Opens split {@code split} ("train" or "validation") of the shards directory {@code dir}. */
    public static TokenShardDataset open(Path dir, String split) throws IOException {
        ShardIndex index = ShardIndex.read(dir);
        SplitInfo info = index.splits().get(split);
        if (info == null) {
            throw new IllegalArgumentException(dir + ": no split '" + split + "' (splits: " + index.splits().keySet() + ")");
        }
        List<TokenShard> shards = new ArrayList<>();
        long[] starts = new long[info.shards().size() + 1];
        try {
            long total = 0;
            long valid = 0;
            for (int i = 0; i < info.shards().size(); i++) {
                ShardInfo s = info.shards().get(i);
                TokenShard shard = TokenShard.open(dir.resolve(s.file()));
                shards.add(shard);
                ShardHeader h = shard.header();
                if (h.sequenceLength() != index.sequenceLength() || h.sequenceCount() != s.sequences()
                        || h.validTokens() != s.validTokens()) {
                    throw new IllegalArgumentException(shard.file() + ": header (" + h.sequenceCount() + " sequences of "
                            + h.sequenceLength() + ", " + h.validTokens() + " valid tokens) disagrees with " + ShardIndex.FILE
                            + " (" + s.sequences() + " of " + index.sequenceLength() + ", " + s.validTokens() + ")");
                }
                if (i < info.shards().size() - 1 && h.validTokens() != h.tokenCount()) {
                    throw new IllegalArgumentException(shard.file() + ": padding in a shard that is not the split's last");
                }
                starts[i] = total;
                total += h.sequenceCount();
                valid += h.validTokens();
            }
            starts[shards.size()] = total;
            if (total != info.sequences()) {
                throw new IllegalArgumentException(dir + ": split " + split + " lists " + info.sequences()
                        + " sequences but its shards hold " + total);
            }
            return new TokenShardDataset(index, List.copyOf(shards), starts, valid);
        } catch (IOException | RuntimeException e) {
            shards.forEach(TokenShard::close);
            throw e;
        }
    }

    public ShardIndex index() {
        return index;
    }

    @Override
    public long count() {
        return starts[shards.size()];
    }

    @Override
    public int sequenceLength() {
        return index.sequenceLength();
    }

    @Override
    public void read(long i, int[] dst, int offset) {
        int s = shardOf(i);
        shards.get(s).read(i - starts[s], dst, offset);
    }

    @Override
    public int validLength(long i) {
        long count = count();
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("sequence " + i + " of " + count);
        }
        if (i < count - 1) {
            return sequenceLength();
        }
        long padding = count * sequenceLength() - validTokens;
        return (int) (sequenceLength() - padding);
    }

    @Override
    public int padId() {
        return index.padId();
    }

    private int shardOf(long i) {
        if (i < 0 || i >= count()) {
            throw new IndexOutOfBoundsException("sequence " + i + " of " + count());
        }
        int lo = 0;
        int hi = shards.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (starts[mid] <= i) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    @Override
    public void close() {
        shards.forEach(TokenShard::close);
    }
}
