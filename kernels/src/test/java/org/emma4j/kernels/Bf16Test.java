package org.emma4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import org.emma4j.kernels.reference.RoundingReference;
import org.junit.jupiter.api.Test;

/**
 * Bf16's bit tricks against {@link RoundingReference}, which rounds the value in double arithmetic. The
 * boundary sweep is exhaustive: for every one of the 65536 bf16 values it tries the float exactly on it,
 * just below and above the halfway point to the next one, and the halfway point itself (a tie).
 */
class Bf16Test {

    @Test
    void everyBf16WidensExactly() {
        for (int b = 0; b < 65536; b++) {
            assertEquals(b << 16, Float.floatToRawIntBits(Bf16.toFloat((short) b)), "bf16 " + Integer.toHexString(b));
        }
    }

    @Test
    void roundingMatchesTheReferenceAtEveryBoundary() {
        int[] offsets = {0x0000, 0x0001, 0x7FFF, 0x8000, 0x8001, 0xFFFF};
        for (int b = 0; b < 65536; b++) {
            for (int off : offsets) {
                check((b << 16) | off);
            }
        }
    }

    @Test
    void roundingMatchesTheReferenceOnRandomFloats() {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < 1_000_000; i++) {
            check(rnd.nextInt());
        }
    }

    @Test
    void tiesGoToEven() {
        // 1 + 2^-8 lies halfway between 1 (even mantissa) and 1 + 2^-7 (odd): down to 1.
        assertEquals(0x3F80, Bf16.fromFloat(Float.intBitsToFloat(0x3F808000)) & 0xFFFF);
        // 1 + 3·2^-8 lies halfway between 1 + 2^-7 (odd) and 1 + 2^-6 (even): up.
        assertEquals(0x3F82, Bf16.fromFloat(Float.intBitsToFloat(0x3F818000)) & 0xFFFF);
        assertEquals(0xBF82, Bf16.fromFloat(Float.intBitsToFloat(0xBF818000)) & 0xFFFF);
        // Just past halfway rounds up even toward an odd result.
        assertEquals(0x3F81, Bf16.fromFloat(Float.intBitsToFloat(0x3F808001)) & 0xFFFF);
    }

    @Test
    void infinitiesNansAndOverflow() {
        assertEquals((short) 0x7F80, Bf16.fromFloat(Float.POSITIVE_INFINITY));
        assertEquals((short) 0xFF80, Bf16.fromFloat(Float.NEGATIVE_INFINITY));
        // The largest finite floats round past bf16's largest finite value (0x7F7F) to infinity.
        assertEquals((short) 0x7F80, Bf16.fromFloat(Float.MAX_VALUE));
        assertEquals((short) 0xFF80, Bf16.fromFloat(-Float.MAX_VALUE));
        // The tie just above 0x7F7F has an odd neighbour below, so it rounds up to infinity; below the tie stays finite.
        assertEquals((short) 0x7F80, Bf16.fromFloat(Float.intBitsToFloat(0x7F7F8000)));
        assertEquals((short) 0x7F7F, Bf16.fromFloat(Float.intBitsToFloat(0x7F7F7FFF)));
        // Every NaN stays a NaN with its sign; payloads that would truncate to infinity are quieted.
        for (int bits : new int[] {0x7FC00000, 0x7F800001, 0x7F80FFFF, 0xFF800001, 0xFFFFFFFF, 0x7FFFFFFF}) {
            short b = Bf16.fromFloat(Float.intBitsToFloat(bits));
            assertTrue(Float.isNaN(Bf16.toFloat(b)), "NaN " + Integer.toHexString(bits) + " became " + Integer.toHexString(b & 0xFFFF));
            assertEquals(bits >>> 31, (b >>> 15) & 1, "NaN sign of " + Integer.toHexString(bits));
        }
    }

    @Test
    void subnormalsAndZeros() {
        assertEquals((short) 0x0000, Bf16.fromFloat(0f));
        assertEquals((short) 0x8000, Bf16.fromFloat(-0f));
        // The smallest float subnormal is far below half of bf16's smallest subnormal (2^-133): it rounds to zero.
        assertEquals((short) 0x0000, Bf16.fromFloat(Float.MIN_VALUE));
        assertEquals((short) 0x8000, Bf16.fromFloat(-Float.MIN_VALUE));
        // Exactly half of the smallest bf16 subnormal is a tie to even (zero); the next float above rounds up.
        assertEquals((short) 0x0000, Bf16.fromFloat(Float.intBitsToFloat(0x00008000)));
        assertEquals((short) 0x0001, Bf16.fromFloat(Float.intBitsToFloat(0x00008001)));
        assertEquals((short) 0x0002, Bf16.fromFloat(Float.intBitsToFloat(0x00018000)));
        // The largest float subnormal rounds up to the smallest normal bf16.
        assertEquals((short) 0x0080, Bf16.fromFloat(Float.intBitsToFloat(0x007FFFFF)));
    }

    private static void check(int bits) {
        float f = Float.intBitsToFloat(bits);
        short b = Bf16.fromFloat(f);
        if (Float.isNaN(f)) {
            if (!Float.isNaN(Bf16.toFloat(b)) || ((b >>> 15) & 1) != bits >>> 31) {
                fail("NaN " + Integer.toHexString(bits) + " became " + Integer.toHexString(b & 0xFFFF));
            }
            return;
        }
        int expected = Float.floatToRawIntBits(RoundingReference.toBf16(f)) >>> 16;
        if ((b & 0xFFFF) != expected) {
            fail("float " + Integer.toHexString(bits) + " (" + f + ") became bf16 " + Integer.toHexString(b & 0xFFFF)
                    + ", expected " + Integer.toHexString(expected));
        }
    }
}
