package org.emma4j.model.data.shards;

/**
 * One shard file of a split, as the index lists it.
 *
 * @param file the file name, relative to the shards directory
 * @param sequences sequences in the file
 * @param validTokens tokens before padding
 * @param sha256 hex SHA-256 of the token bytes (everything after the 64-byte header)
 */
public record ShardInfo(String file, long sequences, long validTokens, String sha256) {
}
