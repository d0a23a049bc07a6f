package org.emma4j.model.data.shards;

import java.util.List;

/**
 * One split (train or validation) in the index.
 *
 * @param sequences packed sequences
 * @param validTokens tokens before the final padding
 * @param documents documents packed (a document repeated for a second epoch counts twice)
 * @param shards its files, in order
 */
public record SplitInfo(long sequences, long validTokens, long documents, List<ShardInfo> shards) {
    public SplitInfo {
        shards = List.copyOf(shards);
    }
}
