package org.emma4j.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.emma4j.kernels.Bf16;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.TestTensors;
import org.junit.jupiter.api.Test;

/**
 * The F32/BF16 row conversions must be bit-exact with the scalar rules ({@link Bf16}: exact
 * widening, round-to-nearest-even narrowing, NaN kept), on every length (vector body and scalar tail) and
 * at every offset (NaN payloads aside). Exact because the attention and RoPE tests' 1e-2 BF16 tolerance could not tell a
 * truncating rounding from the right one.
 */
class FloatRowIoTest {
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;

    /** Values that exercise rounding: random floats, exact ties, NaN, infinities, signed zeros, the largest finite. */
    private static float[] trickyValues(SplittableRandom rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = switch (rnd.nextInt(10)) {
                case 0 -> Float.intBitsToFloat((rnd.nextInt() & 0xFFFF0000) | 0x8000); // an exact tie
                case 1 -> Float.intBitsToFloat(rnd.nextInt()); // any bit pattern, NaNs included
                case 2 -> new float[]{Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, Float.MAX_VALUE,
                        Float.MIN_VALUE}[rnd.nextInt(6)];
                default -> (float) ((rnd.nextDouble() * 2 - 1) * Math.pow(10, rnd.nextInt(-6, 7)));
            };
        }
        return x;
    }

    @Test
    void bf16RoundTripsMatchTheScalarRules() {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(2 * 200);
            for (int n = 0; n <= 70; n++) {
                int at = rnd.nextInt(8);
                float mul = rnd.nextBoolean() ? 1f : 0.75f;
                float[] src = trickyValues(rnd, n);
                FloatRowIo.store(seg, DType.BF16, at, n, src, 0, mul);
                for (int i = 0; i < n; i++) {
                    assertSameBf16(Bf16.fromFloat(mul * src[i]), seg.getAtIndex(I16, at + i),
                            "store of " + (mul * src[i]) + " at " + i + " of " + n + "; seed " + seed);
                }
                float[] back = new float[n + 3];
                FloatRowIo.load(seg, DType.BF16, at, n, back, 3, mul);
                for (int i = 0; i < n; i++) {
                    float want = mul * Bf16.toFloat(seg.getAtIndex(I16, at + i));
                    assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(back[3 + i]), "load at " + i + " of " + n + "; seed " + seed);
                }
                float[] add = trickyValues(rnd, n);
                short[] before = new short[n];
                for (int i = 0; i < n; i++) {
                    before[i] = seg.getAtIndex(I16, at + i);
                }
                FloatRowIo.addInto(seg, DType.BF16, at, n, add, 0, mul);
                for (int i = 0; i < n; i++) {
                    short want = Bf16.fromFloat(Bf16.toFloat(before[i]) + mul * add[i]);
                    assertSameBf16(want, seg.getAtIndex(I16, at + i), "addInto at " + i + " of " + n + "; seed " + seed);
                }
            }
        }
    }

    /**
     * Equal bits, except that any NaN matches any NaN: Java leaves NaN payloads unspecified (which operand's
     * payload an add of two NaNs keeps depends on how the JIT orders them), and no kernel depends on them.
     */
    private static void assertSameBf16(short want, short got, String what) {
        boolean wantNan = (want & 0x7F80) == 0x7F80 && (want & 0x7F) != 0;
        boolean gotNan = (got & 0x7F80) == 0x7F80 && (got & 0x7F) != 0;
        if (wantNan || gotNan) {
            assertEquals(wantNan, gotNan, what + ": NaN expected " + wantNan + ", found bits " + Integer.toHexString(got & 0xFFFF));
        } else {
            assertEquals(want, got, what);
        }
    }

    @Test
    void f32RowsMatchScalarArithmetic() {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(4 * 200);
            for (int n = 0; n <= 70; n++) {
                int at = rnd.nextInt(8);
                float mul = (float) rnd.nextDouble(-2, 2);
                float[] src = TestTensors.uniform(rnd, n, 3);
                FloatRowIo.store(seg, DType.F32, at, n, src, 0, mul);
                float[] back = new float[n];
                FloatRowIo.load(seg, DType.F32, at, n, back, 0, 1f);
                float[] add = TestTensors.uniform(rnd, n, 3);
                FloatRowIo.addInto(seg, DType.F32, at, n, add, 0, mul);
                for (int i = 0; i < n; i++) {
                    assertEquals(mul * src[i], back[i], 0f, "store/load at " + i + " of " + n + "; seed " + seed);
                    float want = back[i] + mul * add[i];
                    assertEquals(want, seg.getAtIndex(F32, at + i), 0f, "addInto at " + i + " of " + n + "; seed " + seed);
                }
            }
        }
    }
}
