package org.emma4j.model.data.loader;

import org.emma4j.model.data.Seeds;

/**
 * A pseudo-random permutation of {@code 0 .. n-1} computed on demand, without an array of n entries (a
 * billion sequences need no 4 GB table): a balanced Feistel network over the smallest even power of two
 * that holds n, with cycle walking to stay below n. A Feistel network is a bijection whatever its round
 * function, so this is exactly a permutation; six rounds of SplitMix64 mixing make it a well-shuffled one.
 */
public final class SeededPermutation {
    private static final int ROUNDS = 6;

    private final long n;
    private final int halfBits;
    private final long halfMask;
    private final long[] keys = new long[ROUNDS];

    public SeededPermutation(long n, long seed) {
        if (n < 1) {
            throw new IllegalArgumentException("a permutation needs n >= 1, found " + n);
        }
        int bits = Math.max(2, 64 - Long.numberOfLeadingZeros(n - 1));
        bits += bits & 1;
        this.n = n;
        this.halfBits = bits / 2;
        this.halfMask = (1L << halfBits) - 1;
        for (int r = 0; r < ROUNDS; r++) {
            keys[r] = Seeds.derive(seed, r);
        }
    }

    /** The image of {@code i} (0 <= i < n). */
    public long apply(long i) {
        if (i < 0 || i >= n) {
            throw new IndexOutOfBoundsException("index " + i + " outside a permutation of " + n);
        }
        long x = i;
        do {
            x = encrypt(x);
        } while (x >= n);
        return x;
    }

    private long encrypt(long x) {
        long left = x >>> halfBits;
        long right = x & halfMask;
        for (int r = 0; r < ROUNDS; r++) {
            long next = left ^ (Seeds.mix(right ^ keys[r]) & halfMask);
            left = right;
            right = next;
        }
        return (left << halfBits) | right;
    }

    public long size() {
        return n;
    }
}
