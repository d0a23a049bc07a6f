package org.emma4j.kernels.cpu;

import static org.emma4j.kernels.DType.BF16;
import static org.emma4j.kernels.DType.F16;
import static org.emma4j.kernels.DType.F32;
import static org.emma4j.kernels.DType.I32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.emma4j.kernels.Backend;
import org.emma4j.kernels.Bf16;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorScope;
import org.emma4j.kernels.TestTensors;
import org.emma4j.kernels.reference.RoundingReference;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Backend.copy between dtypes, checked bit for bit: tensors are filled and read as raw bits (upload and
 * download), and every rounding is compared with {@link RoundingReference}, which rounds values in double
 * arithmetic instead of bits. Lengths are awkward and one is large enough to be split over threads.
 */
class CastTest {
    private static final int[] LENGTHS = {1, 7, 33, 97, 130, 70_001};

    static Stream<Named<Backend>> backends() {
        return KernelTestSupport.backends();
    }

    /** Float bits that stress rounding: zeros, infinities, NaNs, extremes, subnormals, exact ties, then random bits. */
    private static int[] floatBits(SplittableRandom rnd, int n) {
        int[] special = {0, 0x80000000, 0x7F800000, 0xFF800000, 0x7FC00000, 0xFFC00001, 0x7F800001, 0x7FFFFFFF,
                0x7F7FFFFF, 0x7F7F7FFF, 0x7F7F8000, 0xFF7F8000, 0x00800000, 0x00000001, 0x00008000, 0x00018000, 0x807FFFFF,
                0x3F808000, 0x3F818000, 0x3F808001, 0x3F807FFF, 0x477FF000, 0x477FEFFF, 0x33800000, 0x33000000, 0x387FC000};
        int[] bits = new int[n];
        for (int i = 0; i < n; i++) {
            bits[i] = i < special.length ? special[i] : rnd.nextInt();
        }
        return bits;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void f32ToBf16RoundsToNearestEven(Backend backend) {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int n : LENGTHS) {
            int[] bits = floatBits(rnd, n);
            short[] out = castBits(backend, F32, BF16, bits, n);
            for (int i = 0; i < n; i++) {
                float f = Float.intBitsToFloat(bits[i]);
                if (Float.isNaN(f)) {
                    // NaN stays NaN with its sign, quieted exactly as the scalar Bf16.fromFloat does.
                    assertEquals(Bf16.fromFloat(f), out[i], "NaN " + Integer.toHexString(bits[i]) + "; seed " + seed);
                    assertTrue(Float.isNaN(Bf16.toFloat(out[i])));
                    continue;
                }
                int expected = Float.floatToRawIntBits(RoundingReference.toBf16(f)) >>> 16;
                if ((out[i] & 0xFFFF) != expected) {
                    fail("F32 " + Integer.toHexString(bits[i]) + " (" + f + ") became BF16 " + Integer.toHexString(out[i] & 0xFFFF)
                            + ", expected " + Integer.toHexString(expected) + " at " + i + " of " + n + "; seed " + seed);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void bf16AndF16WidenExactly(Backend backend) {
        int n = 65536;
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        int[] fromBf16 = castBits(backend, BF16, F32, all, n);
        int[] fromF16 = castBits(backend, F16, F32, all, n);
        for (int b = 0; b < n; b++) {
            // BF16 widening is a shift, NaN payloads included.
            assertEquals(b << 16, fromBf16[b], "BF16 " + Integer.toHexString(b));
            double expected = RoundingReference.decodeF16((short) b);
            float actual = Float.intBitsToFloat(fromF16[b]);
            if (Double.isNaN(expected) ? !Float.isNaN(actual)
                    : Double.doubleToRawLongBits(actual) != Double.doubleToRawLongBits(expected)) {
                fail("F16 " + Integer.toHexString(b) + " became " + actual + ", expected " + expected);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void narrowingToF16AndBetweenHalfFormatsRoundsOnce(Backend backend) {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int n : LENGTHS) {
            // F32 values spread over F16's range and beyond (1e-9 .. 1e6), with the special bits first.
            int[] bits = floatBits(rnd, n);
            for (int i = 26; i < n; i++) {
                bits[i] = Float.floatToRawIntBits((float) ((rnd.nextBoolean() ? 1 : -1) * Math.pow(10, rnd.nextDouble(-9, 6))));
            }
            short[] f16 = castBits(backend, F32, F16, bits, n);
            for (int i = 0; i < n; i++) {
                float f = Float.intBitsToFloat(bits[i]);
                checkHalf("F32 -> F16", seed, f, RoundingReference.toF16(f), RoundingReference.decodeF16(f16[i]));
            }
            // BF16 -> F16 and F16 -> BF16 go through an exact float, so they round once.
            int[] halves = new int[n];
            for (int i = 0; i < n; i++) {
                halves[i] = rnd.nextInt(65536);
            }
            short[] bf16ToF16 = castBits(backend, BF16, F16, halves, n);
            short[] f16ToBf16 = castBits(backend, F16, BF16, halves, n);
            for (int i = 0; i < n; i++) {
                float asBf16 = Bf16.toFloat((short) halves[i]);
                checkHalf("BF16 -> F16", seed, asBf16, RoundingReference.toF16(asBf16), RoundingReference.decodeF16(bf16ToF16[i]));
                float asF16 = (float) RoundingReference.decodeF16((short) halves[i]);
                checkHalf("F16 -> BF16", seed, asF16, RoundingReference.toBf16(asF16), Bf16.toFloat(f16ToBf16[i]));
            }
        }
    }

    private static void checkHalf(String what, long seed, float input, double expected, double actual) {
        boolean ok = Double.isNaN(expected) ? Double.isNaN(actual)
                : Double.doubleToRawLongBits(expected) == Double.doubleToRawLongBits(actual);
        if (!ok) {
            fail(what + ": " + input + " became " + actual + ", expected " + expected + "; seed " + seed);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void sameDtypeCopiesAreExact(Backend backend) {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int n : LENGTHS) {
            int[] bits = floatBits(rnd, n);
            assertArrayEquals(bits, castBits(backend, F32, F32, bits, n), "F32 copy; seed " + seed);
            assertArrayEquals(bits, castBits(backend, I32, I32, bits, n), "I32 copy; seed " + seed);
            int[] halves = new int[n];
            for (int i = 0; i < n; i++) {
                halves[i] = bits[i] >>> 16;
            }
            for (DType half : new DType[] {BF16, F16}) {
                short[] out = castBits(backend, half, half, halves, n);
                for (int i = 0; i < n; i++) {
                    assertEquals((short) halves[i], out[i], half + " copy at " + i + "; seed " + seed);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void copyChecksSizesDtypesAndOverlap(Backend backend) {
        try (TensorScope scope = backend.newScope()) {
            Tensor a = TestTensors.tensor(backend, scope, F32, TestTensors.uniform(new SplittableRandom(3), 24, 1), 4, 6).named("a");
            Tensor flat = scope.allocate(BF16, 24).named("flat");
            backend.copy(flat, a);
            assertArrayEquals(TestTensors.roundToBf16(backend.toFloats(a)), backend.toFloats(flat), "copy between shapes of equal size");
            float[] before = backend.toFloats(a);
            backend.copy(a, a);
            assertArrayEquals(before, backend.toFloats(a), "copying a tensor onto itself changes nothing");

            Tensor b = scope.allocate(F32, 25).named("b25");
            var e = assertThrows(IllegalArgumentException.class, () -> backend.copy(b, a));
            assertTrue(e.getMessage().contains("b25") && e.getMessage().contains("same number of elements"), e.getMessage());
            Tensor ints = scope.allocate(I32, 4, 6).named("ids");
            e = assertThrows(IllegalArgumentException.class, () -> backend.copy(ints, a));
            assertTrue(e.getMessage().contains("ids") && e.getMessage().contains("I32") && e.getMessage().contains("F32"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> backend.copy(a.slice(1, 3), a.slice(0, 2)));
            assertTrue(e.getMessage().contains("overlap"), e.getMessage());
        }
    }

    /** Copies raw bits of dtype {@code from} (ints, or the low 16 bits for half formats) into dtype {@code to}. */
    @SuppressWarnings("unchecked")
    private static <T> T castBits(Backend backend, DType from, DType to, int[] bits, int n) {
        // A shared arena: hot access through a confined one makes C2 stop intrinsifying the vector kernels (see Backend.toFloats).
        try (TensorScope scope = backend.newScope(); Arena arena = Arena.ofShared()) {
            Tensor src = scope.allocate(from, n);
            Tensor dst = scope.allocate(to, n);
            MemorySegment host = arena.allocate(Math.max(src.byteSize(), dst.byteSize()), 64);
            for (int i = 0; i < n; i++) {
                if (from.byteSize() == 4) {
                    host.setAtIndex(ValueLayout.JAVA_INT, i, bits[i]);
                } else {
                    host.setAtIndex(ValueLayout.JAVA_SHORT, i, (short) bits[i]);
                }
            }
            backend.upload(src, host);
            backend.copy(dst, src);
            backend.download(dst, host);
            if (to.byteSize() == 4) {
                return (T) host.asSlice(0, 4L * n).toArray(ValueLayout.JAVA_INT);
            }
            return (T) host.asSlice(0, 2L * n).toArray(ValueLayout.JAVA_SHORT);
        }
    }
}
