package org.emma4j.model.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The rolling windows against lm-evaluation-harness' own published cases, copied from
 * EleutherAI/lm-evaluation-harness tests/test_utils.py (test_get_rolling_token_windows_v1..v6, _empty and
 * test_make_disjoint_window).
 */
class RollingWindowsTest {

    private static int[] range(int from, int to) {
        return IntStream.range(from, to).toArray();
    }

    private static int[] cat(int first, int[] rest) {
        int[] out = new int[rest.length + 1];
        out[0] = first;
        System.arraycopy(rest, 0, out, 1, rest.length);
        return out;
    }

    private static void check(int[][][] gold, int[] tokens, int maxSeqLen, int contextLen) {
        List<int[][]> got = RollingWindows.overlapping(tokens, -100, maxSeqLen, contextLen);
        assertEquals(gold.length, got.size(), "window count");
        int predicted = 0;
        for (int i = 0; i < gold.length; i++) {
            assertArrayEquals(gold[i][0], got.get(i)[0], "input of window " + i);
            assertArrayEquals(gold[i][1], got.get(i)[1], "prediction of window " + i);
            predicted += got.get(i)[1].length;
        }
        assertEquals(tokens.length, predicted, "every token predicted once");
    }

    @Test
    void v1ContextOne() {
        check(new int[][][] {
                {cat(-100, range(0, 9)), range(0, 10)},
                {range(9, 19), range(10, 20)},
                {range(19, 29), range(20, 30)},
                {range(23, 33), range(30, 34)}}, range(0, 34), 10, 1);
    }

    @Test
    void v2ContextEight() {
        check(new int[][][] {
                {cat(-100, range(0, 9)), range(0, 10)},
                {range(2, 12), range(10, 13)},
                {range(5, 15), range(13, 16)},
                {range(8, 18), range(16, 19)},
                {range(11, 21), range(19, 22)},
                {range(14, 24), range(22, 25)},
                {range(17, 27), range(25, 28)},
                {range(20, 30), range(28, 31)},
                {range(23, 33), range(31, 34)}}, range(0, 34), 10, 8);
    }

    @Test
    void v3AndV4ContextTen() {
        for (int n : new int[] {34, 30}) {
            int[][][] gold = new int[n - 9][][];
            gold[0] = new int[][] {cat(-100, range(0, 9)), range(0, 10)};
            for (int t = 10; t < n; t++) {
                gold[t - 9] = new int[][] {range(t - 10, t), new int[] {t}};
            }
            check(gold, range(0, n), 10, 10);
        }
    }

    @Test
    void v5ContextOneExactMultiple() {
        check(new int[][][] {
                {cat(-100, range(0, 9)), range(0, 10)},
                {range(9, 19), range(10, 20)},
                {range(19, 29), range(20, 30)}}, range(0, 30), 10, 1);
    }

    @Test
    void v6TinyWindows() {
        check(new int[][][] {
                {new int[] {-100, 0}, new int[] {0, 1}},
                {new int[] {1, 2}, new int[] {2, 3}},
                {new int[] {3, 4}, new int[] {4, 5}},
                {new int[] {5, 6}, new int[] {6, 7}},
                {new int[] {6, 7}, new int[] {8}}}, range(0, 9), 2, 1);
    }

    @Test
    void emptyTextHasNoWindows() {
        assertEquals(0, RollingWindows.overlapping(new int[0], -100, 2, 1).size());
    }

    @Test
    void disjointWindows() {
        RollingWindows.Window w = RollingWindows.disjoint(new int[] {1, 2, 3, 4, 5}, new int[] {2, 3, 4, 5, 6});
        assertArrayEquals(new int[] {1}, w.context());
        assertArrayEquals(new int[] {1, 2, 3, 4, 5}, w.input());
        assertArrayEquals(new int[] {1, 2, 3}, RollingWindows.disjoint(new int[] {1, 2, 3, 4, 5}, new int[] {4, 5, 6}).context());
        assertArrayEquals(new int[] {1, 2, 3, 4, 5}, RollingWindows.disjoint(new int[] {1, 2, 3, 4, 5}, new int[] {6}).context());
    }
}
