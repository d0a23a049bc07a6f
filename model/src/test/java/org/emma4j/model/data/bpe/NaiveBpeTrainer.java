package org.emma4j.model.data.bpe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The textbook BPE trainer, kept in the tests as the reference: every iteration recounts all adjacent
 * pairs over all pieces and merges the best one everywhere. Same rules as {@link BpeTrainer}: highest
 * count, ties to the smaller (left, right) ids; merges scan left to right without overlap; a merge whose
 * bytes already are a token reuses its id. Quadratic, so only for small corpora.
 */
final class NaiveBpeTrainer {
    private NaiveBpeTrainer() {
    }

    static BpeVocabulary train(PieceCounts counts, BpeTrainer.Options options) {
        List<PieceCounts.Piece> pieces = counts.sortedPieces();
        List<int[]> words = new ArrayList<>();
        for (PieceCounts.Piece p : pieces) {
            int[] s = new int[p.bytes().length];
            for (int i = 0; i < s.length; i++) {
                s[i] = p.bytes()[i] & 0xFF;
            }
            words.add(s);
        }
        List<byte[]> tokens = new ArrayList<>();
        for (int b = 0; b < 256; b++) {
            tokens.add(new byte[] {(byte) b});
        }
        List<int[]> merges = new ArrayList<>();
        int target = options.vocabSize() - options.specialTokenCount();
        while (tokens.size() < target) {
            Map<Long, Long> pairCounts = new HashMap<>();
            for (int w = 0; w < words.size(); w++) {
                int[] s = words.get(w);
                for (int i = 0; i + 1 < s.length; i++) {
                    pairCounts.merge(((long) s[i] << 32) | s[i + 1], pieces.get(w).count(), Long::sum);
                }
            }
            long bestKey = -1;
            long bestCount = 0;
            for (Map.Entry<Long, Long> e : pairCounts.entrySet()) {
                if (e.getValue() > bestCount || (e.getValue() == bestCount && e.getKey() < bestKey)) {
                    bestCount = e.getValue();
                    bestKey = e.getKey();
                }
            }
            if (bestCount == 0 || bestCount < options.minFrequency()) {
                break;
            }
            int left = (int) (bestKey >>> 32);
            int right = (int) bestKey;
            byte[] joined = Arrays.copyOf(tokens.get(left), tokens.get(left).length + tokens.get(right).length);
            System.arraycopy(tokens.get(right), 0, joined, tokens.get(left).length, tokens.get(right).length);
            int merged = -1;
            for (int id = 0; id < tokens.size(); id++) {
                if (Arrays.equals(tokens.get(id), joined)) {
                    merged = id;
                }
            }
            if (merged < 0) {
                merged = tokens.size();
                tokens.add(joined);
            }
            merges.add(new int[] {left, right});
            for (int w = 0; w < words.size(); w++) {
                int[] s = words.get(w);
                List<Integer> out = new ArrayList<>();
                for (int i = 0; i < s.length; i++) {
                    if (i + 1 < s.length && s[i] == left && s[i + 1] == right) {
                        out.add(merged);
                        i++;
                    } else {
                        out.add(s[i]);
                    }
                }
                words.set(w, out.stream().mapToInt(Integer::intValue).toArray());
            }
        }
        return new BpeVocabulary(tokens, merges, options.specialTokens());
    }
}
