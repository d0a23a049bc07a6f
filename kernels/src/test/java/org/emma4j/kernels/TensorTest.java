package org.emma4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/**
 * The Tensor value: shapes, sizes, and views, slices and selections that share storage without copying.
 * Memory comes from shared arenas, as everywhere in the kernels' tests (see Backend.toFloats for why not confined).
 */
class TensorTest {

    /** A [rows, cols] F32 tensor holding 0, 1, 2, ... in row-major order. */
    private static Tensor iota(Arena arena, long rows, long cols) {
        MemorySegment seg = arena.allocate(rows * cols * 4, 64);
        for (int i = 0; i < rows * cols; i++) {
            seg.setAtIndex(ValueLayout.JAVA_FLOAT, i, i);
        }
        return Tensor.ofHost(seg, DType.F32, rows, cols);
    }

    private static float[] floats(Tensor t) {
        return t.segment().toArray(ValueLayout.JAVA_FLOAT);
    }

    @Test
    void shapeSizesAndBytes() {
        try (Arena arena = Arena.ofShared()) {
            Tensor t = Tensor.ofHost(arena.allocate(2 * 3 * 5 * 2), DType.BF16, 2, 3, 5);
            assertEquals(3, t.rank());
            assertEquals(30, t.size());
            assertEquals(6, t.rows());
            assertEquals(5, t.cols());
            assertEquals(5, t.dim(-1));
            assertEquals(3, t.dim(1));
            assertEquals(60, t.byteSize());
            assertArrayEquals(new long[] {2, 3, 5}, t.shape());
            t.shape()[0] = 99;
            assertEquals(2, t.dim(0), "shape() must hand out a copy");
            assertTrue(t.isHost());
            assertEquals(60, t.segment().byteSize());

            Tensor scalar = Tensor.ofHost(arena.allocate(4), DType.F32);
            assertEquals(0, scalar.rank());
            assertEquals(1, scalar.size());
            assertEquals(1, scalar.rows());
            assertEquals(1, scalar.cols());

            Tensor empty = Tensor.ofHost(arena.allocate(1), DType.F32, 0, 7);
            assertEquals(0, empty.size());
            assertEquals(0, empty.rows());
            assertEquals(0, empty.byteSize());
        }
    }

    @Test
    void constructionRejectsNegativeDimensionsAndShortStorage() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment seg = arena.allocate(40);
            var e = assertThrows(IllegalArgumentException.class, () -> new Tensor(DType.F32, new long[] {2, -1}, new Storage.Host(seg), 0, "bad"));
            assertTrue(e.getMessage().contains("bad") && e.getMessage().contains("negative"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> new Tensor(DType.F32, new long[] {11}, new Storage.Host(seg), 0, "big"));
            assertTrue(e.getMessage().contains("big") && e.getMessage().contains("40"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> new Tensor(DType.F32, new long[] {5}, new Storage.Host(seg), 24, "late"));
            assertTrue(e.getMessage().contains("late") && e.getMessage().contains("44"), e.getMessage());
            assertEquals(10, new Tensor(DType.F32, new long[] {10}, new Storage.Host(seg), 0, null).size());
        }
    }

    @Test
    void viewsShareStorage() {
        try (Arena arena = Arena.ofShared()) {
            Tensor t = iota(arena, 4, 6).named("x");
            Tensor v = t.view(2, 3, 4);
            assertArrayEquals(new long[] {2, 3, 4}, v.shape());
            assertEquals("x", v.name());
            assertEquals(t.storage(), v.storage());
            v.segment().setAtIndex(ValueLayout.JAVA_FLOAT, 13, -1f);
            assertEquals(-1f, floats(t)[13], "a write through the view is visible in the original");
            var e = assertThrows(IllegalArgumentException.class, () -> t.view(5, 5));
            assertTrue(e.getMessage().contains("x") && e.getMessage().contains("[4, 6]") && e.getMessage().contains("[5, 5]"), e.getMessage());
        }
    }

    @Test
    void slicesAndSelectionsAddressTheRightRows() {
        try (Arena arena = Arena.ofShared()) {
            Tensor t = iota(arena, 5, 3);
            Tensor s = t.slice(2, 4);
            assertArrayEquals(new long[] {2, 3}, s.shape());
            assertEquals(24, s.byteOffset());
            assertArrayEquals(new float[] {6, 7, 8, 9, 10, 11}, floats(s));
            Tensor row = t.select(4);
            assertArrayEquals(new long[] {3}, row.shape());
            assertArrayEquals(new float[] {12, 13, 14}, floats(row));
            // Selecting twice reaches a scalar; slices of slices keep adding offsets.
            Tensor element = row.select(1);
            assertEquals(0, element.rank());
            assertArrayEquals(new float[] {13}, floats(element));
            assertArrayEquals(new float[] {9, 10, 11}, floats(s.slice(1, 2)));
            assertEquals(0, t.slice(3, 3).size());
            // A slice of a 3-D tensor takes whole [.., 2, 2] blocks.
            Tensor cube = iota(arena, 3, 4).view(3, 2, 2);
            assertArrayEquals(new float[] {4, 5, 6, 7}, floats(cube.select(1)));

            assertThrows(IndexOutOfBoundsException.class, () -> t.slice(4, 6));
            assertThrows(IndexOutOfBoundsException.class, () -> t.slice(-1, 2));
            assertThrows(IndexOutOfBoundsException.class, () -> t.slice(3, 2));
            assertThrows(IndexOutOfBoundsException.class, () -> t.select(5));
            assertThrows(IllegalArgumentException.class, () -> element.slice(0, 1));
        }
    }

    @Test
    void deviceTensorsRefuseHostAccessAndDescribeThemselves() {
        Tensor d = new Tensor(DType.BF16, new long[] {8, 2}, new Storage.Device(0x1000, 32, 0), 0, "w");
        assertFalse(d.isHost());
        var e = assertThrows(IllegalStateException.class, d::segment);
        assertTrue(e.getMessage().contains("w") && e.getMessage().contains("device"), e.getMessage());
        assertEquals("Tensor[w BF16 [8, 2] on device]", d.toString());
        assertEquals(16, d.slice(4, 8).byteOffset());
        assertTrue(d.sameShape(d.view(8, 2)));
        assertFalse(d.sameShape(d.view(2, 8)));
        assertEquals("<unnamed>", d.named(null).name());
    }
}
