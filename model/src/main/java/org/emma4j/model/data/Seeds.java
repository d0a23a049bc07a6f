package org.emma4j.model.data;

import java.nio.charset.StandardCharsets;

/**
 * Derives independent seeds for the pipeline's random choices from the one configured seed and names, so
 * that a choice depends only on what it is about (which source, which language, which epoch), never on
 * the order in which other choices were made or on thread timing.
 */
public final class Seeds {
    private Seeds() {
    }

    /** SplitMix64's finaliser: a bijective, well-mixing 64-bit hash. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A seed for {@code parts} under {@code seed}. */
    public static long derive(long seed, long... parts) {
        long h = mix(seed ^ 0x9E3779B97F4A7C15L);
        for (long p : parts) {
            h = mix(h + 0x9E3779B97F4A7C15L + mix(p));
        }
        return h;
    }

    /** A stable 64-bit hash of a name (FNV-1a over its UTF-8 bytes), to use as a seed part. */
    public static long name(String name) {
        long h = 0xCBF29CE484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xFF;
            h *= 0x100000001B3L;
        }
        return h;
    }
}
