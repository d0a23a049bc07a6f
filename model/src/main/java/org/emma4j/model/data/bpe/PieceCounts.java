package org.emma4j.model.data.bpe;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.emma4j.model.tokenizer.Llama3PreTokenizer;

/**
 * How often each pre-tokenizer piece occurs in a corpus: BPE training works on these distinct pieces
 * (weighted by count), never on the raw text again. Pieces are cut by Llama 3's pre-tokenizer
 * ({@link Llama3PreTokenizer}), exactly as encoding will cut them, so no merge can span two pieces.
 */
public final class PieceCounts {
    private final Map<String, long[]> counts = new HashMap<>();
    private long pieces;

    /** Counts the pieces of {@code text}. */
    public void add(CharSequence text) {
        int end = text.length();
        int pos = 0;
        while (pos < end) {
            int next = Llama3PreTokenizer.pieceEnd(text, pos, end);
            counts.computeIfAbsent(text.subSequence(pos, next).toString(), k -> new long[1])[0]++;
            pieces++;
            pos = next;
        }
    }

    /** Adds another count table into this one. */
    public void addAll(PieceCounts other) {
        other.counts.forEach((k, v) -> counts.computeIfAbsent(k, x -> new long[1])[0] += v[0]);
        pieces += other.pieces;
    }

    /** Pieces counted, repeats included. */
    public long total() {
        return pieces;
    }

    public int distinct() {
        return counts.size();
    }

    /**
     * The distinct pieces as UTF-8 bytes with their counts, sorted by bytes (so that training never depends
     * on hash-map order). A lone surrogate becomes U+FFFD's bytes, as the tokenizer encodes it.
     */
    public List<Piece> sortedPieces() {
        List<Piece> out = new ArrayList<>(counts.size());
        counts.forEach((k, v) -> out.add(new Piece(k.getBytes(StandardCharsets.UTF_8), v[0])));
        out.sort((a, b) -> java.util.Arrays.compareUnsigned(a.bytes(), b.bytes()));
        // Distinct strings can share bytes only through lone surrogates; merge such neighbours.
        List<Piece> merged = new ArrayList<>(out.size());
        for (Piece p : out) {
            Piece last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && java.util.Arrays.equals(last.bytes(), p.bytes())) {
                merged.set(merged.size() - 1, new Piece(p.bytes(), last.count() + p.count()));
            } else {
                merged.add(p);
            }
        }
        return merged;
    }

    /** One distinct piece. */
    public record Piece(byte[] bytes, long count) {
    }
}
