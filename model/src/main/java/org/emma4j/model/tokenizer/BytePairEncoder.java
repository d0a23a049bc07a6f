package org.emma4j.model.tokenizer;

/**
 * Byte-level BPE of one pre-tokenized piece: starting from one token per byte, repeatedly merges the
 * adjacent pair with the lowest merge rank (the leftmost one on ties) until no adjacent pair merges.
 * This is both tiktoken's algorithm (where a pair's rank is the rank of the merged token) and Hugging
 * Face's (where it is the pair's line in the merges list); {@link PairMerges} carries whichever the file
 * defines. When {@code wholePieceFirst} is set (tiktoken always; tokenizer.json with
 * {@code ignore_merges}), a piece that is itself a token is emitted as that token without merging.
 *
 * <p>Short pieces are merged by rescanning an array of pair ranks (cheap and cache-friendly); long ones
 * (a 10,000-character run without spaces) by a heap over a linked list, O(n log n) instead of O(n²).
 * Thread-safe: the state of one call lives in a caller-supplied {@link Scratch}.
 */
final class BytePairEncoder {
    /** Pieces with more bytes than this are merged with the heap. */
    static final int HEAP_THRESHOLD = 128;
    private static final int END = -1;

    private final int[] byteIds;
    private final ByteSequenceIndex ordinaryTokens;
    private final PairMerges merges;
    private final boolean wholePieceFirst;
    private final PieceCache cache = new PieceCache(1 << 15);

    /**
     * @param byteIds the token of each single byte (index = unsigned byte value)
     * @param ordinaryTokens the tokens that plain text may produce (special tokens excluded)
     */
    BytePairEncoder(int[] byteIds, ByteSequenceIndex ordinaryTokens, PairMerges merges, boolean wholePieceFirst) {
        if (byteIds.length != 256) {
            throw new IllegalArgumentException("need the token of each of the 256 bytes, got " + byteIds.length);
        }
        this.byteIds = byteIds.clone();
        this.ordinaryTokens = ordinaryTokens;
        this.merges = merges;
        this.wholePieceFirst = wholePieceFirst;
    }

    /** Per-call working arrays, grown on demand; one per thread at a time. */
    static final class Scratch {
        int[] ids = new int[64];
        long[] pairs = new long[64];
        int[] next = new int[0];
        int[] prev = new int[0];
        long[] heap = new long[0];

        void ensure(int n) {
            if (ids.length < n) {
                int size = Math.max(n, ids.length * 2);
                ids = new int[size];
                pairs = new long[size];
            }
        }

        void ensureHeap(int n) {
            if (next.length < n) {
                int size = Math.max(n, next.length * 2);
                next = new int[size];
                prev = new int[size];
                heap = new long[3 * size];
            }
        }
    }

    /** Appends the tokens of the piece {@code piece[0 .. len)} (len >= 1) to {@code out}. */
    void encode(byte[] piece, int len, TokenIdBuffer out, Scratch scratch) {
        if (len == 1) {
            out.add(byteIds[piece[0] & 0xFF]);
            return;
        }
        int hash = ByteSequenceIndex.hash(piece, 0, len);
        if (wholePieceFirst) {
            int id = ordinaryTokens.find(piece, 0, len, hash);
            if (id != ByteSequenceIndex.ABSENT) {
                out.add(id);
                return;
            }
        }
        boolean cacheable = len <= PieceCache.MAX_PIECE_BYTES;
        if (cacheable) {
            int[] cached = cache.get(piece, len, hash);
            if (cached != null) {
                out.addAll(cached, 0, cached.length);
                return;
            }
        }
        scratch.ensure(len);
        int count = len <= HEAP_THRESHOLD ? mergeByScan(piece, len, scratch) : mergeByHeap(piece, len, scratch);
        out.addAll(scratch.ids, 0, count);
        if (cacheable) {
            cache.put(piece, len, hash, java.util.Arrays.copyOf(scratch.ids, count));
        }
    }

    /** Merges in {@code scratch.ids}; returns the number of tokens left there. */
    private int mergeByScan(byte[] piece, int len, Scratch scratch) {
        int[] ids = scratch.ids;
        long[] pairs = scratch.pairs;
        for (int i = 0; i < len; i++) {
            ids[i] = byteIds[piece[i] & 0xFF];
        }
        for (int i = 0; i + 1 < len; i++) {
            pairs[i] = merges.get(ids[i], ids[i + 1]);
        }
        int n = len;
        while (n > 1) {
            long best = PairMerges.NO_MERGE;
            int at = -1;
            for (int i = 0; i + 1 < n; i++) {
                if (pairs[i] < best) {
                    best = pairs[i];
                    at = i;
                }
            }
            if (at < 0) {
                break;
            }
            ids[at] = PairMerges.mergedOf(best);
            System.arraycopy(ids, at + 2, ids, at + 1, n - at - 2);
            System.arraycopy(pairs, at + 2, pairs, at + 1, n - at - 3 > 0 ? n - at - 3 : 0);
            n--;
            if (at > 0) {
                pairs[at - 1] = merges.get(ids[at - 1], ids[at]);
            }
            if (at + 1 < n) {
                pairs[at] = merges.get(ids[at], ids[at + 1]);
            }
        }
        return n;
    }

    /**
     * The same merges for long pieces: parts are a linked list indexed by their first byte, candidate
     * pairs sit in a min-heap of (rank, left index) so that ties go to the leftmost pair, and an entry
     * whose pair has changed since it was pushed is recognised by re-looking up its rank and skipped.
     */
    private int mergeByHeap(byte[] piece, int len, Scratch scratch) {
        scratch.ensureHeap(len);
        int[] ids = scratch.ids;
        int[] next = scratch.next;
        int[] prev = scratch.prev;
        long[] heap = scratch.heap;
        int heapSize = 0;
        for (int i = 0; i < len; i++) {
            ids[i] = byteIds[piece[i] & 0xFF];
            next[i] = i + 1 < len ? i + 1 : END;
            prev[i] = i - 1;
        }
        for (int i = 0; i + 1 < len; i++) {
            long merge = merges.get(ids[i], ids[i + 1]);
            if (merge != PairMerges.NO_MERGE) {
                heapSize = push(heap, heapSize, entry(merge, i));
            }
        }
        while (heapSize > 0) {
            long top = heap[0];
            heapSize = popTop(heap, heapSize);
            int left = (int) top;
            if (ids[left] < 0) {
                continue;
            }
            int right = next[left];
            if (right == END) {
                continue;
            }
            long merge = merges.get(ids[left], ids[right]);
            if (merge == PairMerges.NO_MERGE || PairMerges.rankOf(merge) != (int) (top >>> 32)) {
                continue;
            }
            ids[left] = PairMerges.mergedOf(merge);
            ids[right] = -1;
            int after = next[right];
            next[left] = after;
            if (after != END) {
                prev[after] = left;
                long m = merges.get(ids[left], ids[after]);
                if (m != PairMerges.NO_MERGE) {
                    heapSize = push(heap, heapSize, entry(m, left));
                }
            }
            int before = prev[left];
            if (before >= 0) {
                long m = merges.get(ids[before], ids[left]);
                if (m != PairMerges.NO_MERGE) {
                    heapSize = push(heap, heapSize, entry(m, before));
                }
            }
        }
        int count = 0;
        for (int i = 0; i != END; i = next[i]) {
            ids[count++] = ids[i];
        }
        return count;
    }

    private static long entry(long merge, int leftIndex) {
        return ((long) PairMerges.rankOf(merge) << 32) | leftIndex;
    }

    /** Heap capacity: each merge removes one part and pushes at most two pairs, so 3n entries suffice. */
    private static int push(long[] heap, int size, long value) {
        if (size == heap.length) {
            throw new IllegalStateException("BPE heap overflow");
        }
        int i = size;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (heap[parent] <= value) {
                break;
            }
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = value;
        return size + 1;
    }

    private static int popTop(long[] heap, int size) {
        int last = size - 1;
        long value = heap[last];
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= last) {
                break;
            }
            if (child + 1 < last && heap[child + 1] < heap[child]) {
                child++;
            }
            if (heap[child] >= value) {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = value;
        return last;
    }
}
