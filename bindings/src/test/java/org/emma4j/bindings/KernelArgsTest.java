package org.emma4j.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** The void** array cuLaunchKernel reads: entry i points at parameter i's value, each naturally aligned. */
class KernelArgsTest {

    @Test
    void valuesAreLaidOutAtTheirNaturalAlignment() {
        try (Arena arena = Arena.ofConfined()) {
            KernelArgs args = new KernelArgs(arena);
            args.i32(7).pointer(0xDEAD_BEEF_0000L).f32(1.5f).f32(-2.25f).i64(-3L).i32(-9).f64(0.125);
            assertEquals(7, args.count());
            // int at 0; pointer aligned up to 8; two floats at 16 and 20; long at 24; int at 32; double aligned up to 40.
            long[] expected = {0, 8, 16, 20, 24, 32, 40};
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], args.valueOffset(i), "offset of parameter " + i);
            }
            MemorySegment v = args.valueBuffer();
            assertEquals(7, v.get(ValueLayout.JAVA_INT, 0));
            assertEquals(0xDEAD_BEEF_0000L, v.get(ValueLayout.JAVA_LONG, 8));
            assertEquals(1.5f, v.get(ValueLayout.JAVA_FLOAT, 16));
            assertEquals(-2.25f, v.get(ValueLayout.JAVA_FLOAT, 20));
            assertEquals(-3L, v.get(ValueLayout.JAVA_LONG, 24));
            assertEquals(-9, v.get(ValueLayout.JAVA_INT, 32));
            assertEquals(0.125, v.get(ValueLayout.JAVA_DOUBLE, 40));
            // The pointer array itself: what the driver dereferences.
            MemorySegment ptrs = args.pointerArray();
            for (int i = 0; i < expected.length; i++) {
                assertEquals(v.address() + expected[i], ptrs.getAtIndex(ValueLayout.ADDRESS, i).address(), "pointer " + i);
            }
            assertEquals(0, v.address() % 16, "the value buffer is 16-byte aligned");
        }
    }

    @Test
    void clearStartsAgainAndTooManyParametersFail() {
        try (Arena arena = Arena.ofConfined()) {
            KernelArgs args = new KernelArgs(arena);
            args.pointer(1).i32(2);
            args.clear().f32(3f).pointer(4);
            assertEquals(2, args.count());
            assertEquals(0, args.valueOffset(0));
            assertEquals(8, args.valueOffset(1));
            assertEquals(3f, args.valueBuffer().get(ValueLayout.JAVA_FLOAT, 0));
            assertEquals(4L, args.valueBuffer().get(ValueLayout.JAVA_LONG, 8));
            assertThrows(IndexOutOfBoundsException.class, () -> args.valueOffset(2));
            args.clear();
            for (int i = 0; i < KernelArgs.MAX_ARGS; i++) {
                args.pointer(i);
            }
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> args.i32(1));
            assertEquals("a kernel launch takes at most 32 parameters", e.getMessage());
        }
    }
}
