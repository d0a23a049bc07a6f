package org.emma4j.model.data.bpe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.emma4j.model.data.IntList;
import org.emma4j.model.data.LongList;
import org.emma4j.model.data.ProgressLine;
import org.emma4j.model.tokenizer.Llama3SpecialTokens;

/**
 * Byte-level BPE training. Starts from the 256 single bytes; repeatedly merges the adjacent pair with the
 * highest count over all pieces (weighted by piece frequency), ties going to the smaller left id, then the
 * smaller right id; stops at the vocabulary size or when the best pair occurs fewer than
 * {@code minFrequency} times. A merge whose bytes equal an existing token reuses that token's id (as
 * Hugging Face's trainer does).
 *
 * <p>Counts are kept incrementally ({@link PairTable}): each pair knows the words it occurs in, so a merge
 * touches only those words and only the pairs next to each merge site, and a priority queue with lazy
 * invalidation finds the best pair; nothing is recounted over the whole corpus per merge.
 *
 * <p>Special tokens: the first ten of Llama 3's list ({@code <|begin_of_text|>}, {@code <|end_of_text|>},
 * {@code <|reserved_special_token_0..3|>}, {@code <|start_header_id|>}, {@code <|end_header_id|>},
 * {@code <|reserved_special_token_4|>}, {@code <|eot_id|>}) in Llama 3's order, then {@code extraReserved}
 * more {@code <|reserved_special_token_N|>} from N = 5, appended after the merged tokens. The vocabulary
 * size counts them.
 */
public final class BpeTrainer {
    /** Llama 3's special tokens a trained tokenizer carries (up to and including {@code <|eot_id|>}). */
    public static final int BASE_SPECIAL_TOKENS = 10;

    /**
     * @param vocabSize ids in all, special tokens included (at least 256 + the special tokens)
     * @param minFrequency the least count a pair needs to be merged
     * @param extraReserved reserved special tokens beyond the ten
     */
    public record Options(int vocabSize, int minFrequency, int extraReserved) {
        public Options {
            if (extraReserved < 0 || extraReserved > Llama3SpecialTokens.COUNT - BASE_SPECIAL_TOKENS) {
                throw new IllegalArgumentException("extra reserved special tokens must be in 0.."
                        + (Llama3SpecialTokens.COUNT - BASE_SPECIAL_TOKENS) + ", found " + extraReserved);
            }
            int min = 256 + BASE_SPECIAL_TOKENS + extraReserved;
            if (vocabSize < min) {
                throw new IllegalArgumentException("vocab size " + vocabSize + " is below the minimum " + min
                        + " (256 bytes + " + (BASE_SPECIAL_TOKENS + extraReserved) + " special tokens)");
            }
            if (minFrequency < 1) {
                throw new IllegalArgumentException("min frequency must be at least 1, found " + minFrequency);
            }
        }

        /** Special tokens the tokenizer will carry. */
        public int specialTokenCount() {
            return BASE_SPECIAL_TOKENS + extraReserved;
        }

        List<String> specialTokens() {
            return Llama3SpecialTokens.llama3().subList(0, BASE_SPECIAL_TOKENS + extraReserved);
        }
    }

    private final int[][] words;
    private final long[] wordCounts;
    private final PairTable pairs;
    private final PriorityQueue<long[]> queue = new PriorityQueue<>(BpeTrainer::compareEntries);
    private final List<byte[]> tokens = new ArrayList<>();
    private final Map<ByteKey, Integer> idOfBytes = new HashMap<>();
    private final List<int[]> merges = new ArrayList<>();
    private final int[] stamp;

    private BpeTrainer(List<PieceCounts.Piece> pieces) {
        words = new int[pieces.size()][];
        wordCounts = new long[pieces.size()];
        stamp = new int[pieces.size()];
        Arrays.fill(stamp, -1);
        for (int b = 0; b < 256; b++) {
            byte[] one = {(byte) b};
            tokens.add(one);
            idOfBytes.put(new ByteKey(one), b);
        }
        long pieceBytes = 0;
        for (PieceCounts.Piece p : pieces) {
            pieceBytes += p.bytes().length;
        }
        pairs = new PairTable((int) Math.min(1 << 26, Math.max(1024, pieceBytes / 4)));
        for (int w = 0; w < words.length; w++) {
            byte[] bytes = pieces.get(w).bytes();
            int[] symbols = new int[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                symbols[i] = bytes[i] & 0xFF;
            }
            words[w] = symbols;
            wordCounts[w] = pieces.get(w).count();
            for (int i = 0; i + 1 < symbols.length; i++) {
                int slot = pairs.slot(PairTable.key(symbols[i], symbols[i + 1]));
                pairs.addCount(slot, wordCounts[w]);
                pairs.addWord(slot, w);
            }
        }
        for (int slot = 0; slot < pairs.capacity(); slot++) {
            if (pairs.occupied(slot)) {
                queue.add(new long[] {pairs.count(slot), pairs.keyAt(slot)});
            }
        }
    }

    /** Trains on {@code counts}; {@code progress} may be a silent line. */
    public static BpeVocabulary train(PieceCounts counts, Options options, ProgressLine progress) {
        BpeTrainer t = new BpeTrainer(counts.sortedPieces());
        List<String> specials = options.specialTokens();
        int ordinaryTarget = options.vocabSize() - specials.size();
        t.run(ordinaryTarget, options.minFrequency(), progress);
        return new BpeVocabulary(t.tokens, t.merges, specials);
    }

    private void run(int ordinaryTarget, int minFrequency, ProgressLine progress) {
        while (tokens.size() < ordinaryTarget) {
            long[] best = pollBest();
            if (best == null || best[0] < minFrequency) {
                break;
            }
            int left = (int) (best[1] >>> 32);
            int right = (int) best[1];
            merge(left, right);
            progress.update(tokens.size(), merges.size() + " merges");
        }
        progress.done(tokens.size(), merges.size() + " merges");
    }

    /** The pair with the highest current count, skipping queue entries made stale by earlier merges. */
    private long[] pollBest() {
        while (!queue.isEmpty()) {
            long[] top = queue.poll();
            int slot = pairs.find(top[1]);
            long current = slot < 0 ? 0 : pairs.count(slot);
            if (current == top[0]) {
                return current > 0 ? top : null;
            }
            if (current > 0) {
                queue.add(new long[] {current, top[1]});
            }
        }
        return null;
    }

    private void merge(int left, int right) {
        byte[] a = tokens.get(left);
        byte[] b = tokens.get(right);
        byte[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        ByteKey joinedKey = new ByteKey(joined);
        Integer existing = idOfBytes.get(joinedKey);
        int merged;
        if (existing != null) {
            merged = existing;
        } else {
            merged = tokens.size();
            tokens.add(joined);
            idOfBytes.put(joinedKey, merged);
        }
        int rank = merges.size();
        merges.add(new int[] {left, right});
        int mergedSlot = pairs.find(PairTable.key(left, right));
        pairs.setCount(mergedSlot, 0);
        IntList candidates = pairs.takeWords(mergedSlot);
        LongList grown = new LongList();
        for (int i = 0; i < candidates.size(); i++) {
            int w = candidates.get(i);
            if (stamp[w] == rank) {
                continue;
            }
            stamp[w] = rank;
            mergeInWord(w, left, right, merged, grown);
        }
        // Pairs with the new token are new or grew: the queue learns their counts. Pairs that only shrank
        // are corrected lazily when they reach the top.
        long[] keys = grown.toArray();
        Arrays.sort(keys);
        for (int i = 0; i < keys.length; i++) {
            if (i == 0 || keys[i] != keys[i - 1]) {
                queue.add(new long[] {pairs.count(pairs.find(keys[i])), keys[i]});
            }
        }
    }

    /**
     * Merges every non-overlapping (left, right) of word {@code w}, left to right, and updates the counts
     * of the neighbouring pairs: at a merge site with previous symbol p (already updated, so a preceding
     * merge shows as the new token) and next symbol n, (p, left) and (right, n) lose the word's count and
     * (p, merged) and (merged, n) gain it. Consecutive sites cancel correctly ((merged, left) is gained by
     * one site and lost by the next).
     */
    private void mergeInWord(int w, int left, int right, int merged, LongList grown) {
        int[] s = words[w];
        long count = wordCounts[w];
        int[] out = null;
        int n = 0;
        int i = 0;
        while (i < s.length) {
            if (i + 1 < s.length && s[i] == left && s[i + 1] == right) {
                if (out == null) {
                    out = new int[s.length];
                    System.arraycopy(s, 0, out, 0, i);
                    n = i;
                }
                if (n > 0) {
                    int prev = out[n - 1];
                    pairs.addCount(pairs.slot(PairTable.key(prev, left)), -count);
                    gain(PairTable.key(prev, merged), count, w, grown);
                }
                if (i + 2 < s.length) {
                    int next = s[i + 2];
                    pairs.addCount(pairs.slot(PairTable.key(right, next)), -count);
                    gain(PairTable.key(merged, next), count, w, grown);
                }
                out[n++] = merged;
                i += 2;
            } else {
                if (out != null) {
                    out[n++] = s[i];
                }
                i++;
            }
        }
        if (out != null) {
            words[w] = Arrays.copyOf(out, n);
        }
    }

    private void gain(long key, long count, int w, LongList grown) {
        int slot = pairs.slot(key);
        grown.add(key);
        pairs.addCount(slot, count);
        pairs.addWord(slot, w);
    }

    /** Highest count first; ties: smaller left id, then smaller right id. */
    static int compareEntries(long[] x, long[] y) {
        int c = Long.compare(y[0], x[0]);
        return c != 0 ? c : Long.compare(x[1], y[1]);
    }

    /** Byte arrays as map keys. */
    private record ByteKey(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ByteKey k && Arrays.equals(bytes, k.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }
}
