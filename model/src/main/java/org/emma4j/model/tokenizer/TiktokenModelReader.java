package org.emma4j.model.tokenizer;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Meta's {@code tokenizer.model}, tiktoken's format: one line per token, {@code <base64 bytes>
 * <rank>}, ranks 0..n-1, where the rank is both the token id and its merge priority. The special tokens
 * are not in the file; they get ids n, n+1, ... in the order given.
 *
 * <p>tiktoken merges any adjacent pair whose concatenation is a token, at that token's rank. The pair
 * table is therefore built from every split of every token into two tokens.
 */
final class TiktokenModelReader {
    private TiktokenModelReader() {
    }

    static TokenizerDefinition read(Path path, List<String> specialTokens) throws IOException {
        String source = path.toString();
        byte[][] ranked = new byte[1 << 17][];
        int count = 0;
        int lineNumber = 0;
        Base64.Decoder base64 = Base64.getDecoder();
        try (BufferedReader in = Files.newBufferedReader(path, StandardCharsets.US_ASCII)) {
            String line;
            while ((line = in.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                int space = line.indexOf(' ');
                int rank;
                byte[] bytes;
                try {
                    if (space <= 0) {
                        throw new IllegalArgumentException("expected '<base64> <rank>'");
                    }
                    bytes = base64.decode(line.substring(0, space));
                    rank = Integer.parseInt(line.substring(space + 1).trim());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(source + " line " + lineNumber + ": not a tiktoken rank line ("
                            + e.getMessage() + "): '" + abbreviate(line) + "'", e);
                }
                if (rank < 0 || bytes.length == 0) {
                    throw new IllegalArgumentException(source + " line " + lineNumber + ": negative rank or empty token");
                }
                if (rank >= ranked.length) {
                    ranked = java.util.Arrays.copyOf(ranked, Math.max(rank + 1, ranked.length * 2));
                }
                if (ranked[rank] != null) {
                    throw new IllegalArgumentException(source + " line " + lineNumber + ": rank " + rank + " appears twice");
                }
                ranked[rank] = bytes;
                count = Math.max(count, rank + 1);
            }
        }
        for (int rank = 0; rank < count; rank++) {
            if (ranked[rank] == null) {
                throw new IllegalArgumentException(source + ": no token has rank " + rank + " (ranks must run from 0 to "
                        + (count - 1) + " without gaps)");
            }
        }
        int total = count + specialTokens.size();
        byte[][] tokens = java.util.Arrays.copyOf(ranked, total);
        boolean[] special = new boolean[total];
        boolean[] ordinary = new boolean[total];
        java.util.Arrays.fill(ordinary, 0, count, true);
        Map<String, Integer> specialIds = new LinkedHashMap<>();
        for (int i = 0; i < specialTokens.size(); i++) {
            String text = specialTokens.get(i);
            if (specialIds.put(text, count + i) != null) {
                throw new IllegalArgumentException("special token " + text + " is listed twice");
            }
            tokens[count + i] = text.getBytes(StandardCharsets.UTF_8);
            special[count + i] = true;
        }
        TokenBytes tokenBytes = TokenBytes.of(tokens);
        ByteSequenceIndex ordinaryTokens = new ByteSequenceIndex(tokenBytes, ordinary);
        PairMerges merges = new PairMerges(count * 3);
        byte[] data = tokenBytes.data();
        for (int id = 0; id < count; id++) {
            int off = tokenBytes.offset(id);
            int len = tokenBytes.length(id);
            for (int split = 1; split < len; split++) {
                int left = ordinaryTokens.find(data, off, split, ByteSequenceIndex.hash(data, off, split));
                if (left == ByteSequenceIndex.ABSENT) {
                    continue;
                }
                int right = ordinaryTokens.find(data, off + split, len - split,
                        ByteSequenceIndex.hash(data, off + split, len - split));
                if (right != ByteSequenceIndex.ABSENT) {
                    merges.add(left, right, id, id);
                }
            }
        }
        return new TokenizerDefinition(tokenBytes, special, Map.copyOf(specialIds), ordinaryTokens,
                TokenizerDefinition.byteIds(ordinaryTokens, source), merges, true, source);
    }

    private static String abbreviate(String line) {
        return line.length() <= 60 ? line : line.substring(0, 60) + "...";
    }
}
