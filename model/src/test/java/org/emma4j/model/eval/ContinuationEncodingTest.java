package org.emma4j.model.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The harness' pair encoding with a word-level toy tokenizer where a word and its leading space form one
 * token (like BPE's "Ġword"), so that moving the context's trailing space is visible in the ids.
 */
class ContinuationEncodingTest {
    private static final int BOS = 0;

    /** " word" → hash-like id of " word"; "word" at the start → id of "word". */
    private static int[] toy(String s) {
        java.util.List<Integer> ids = new java.util.ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(" ?[^ ]+| +$").matcher(s);
        while (m.find()) {
            ids.add(Math.floorMod(m.group().hashCode(), 1000) + 1);
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    private static final Function<String, int[]> ENCODE = ContinuationEncodingTest::toy;
    private static final Function<String, int[]> WITH_BOS = s -> {
        int[] ids = toy(s);
        int[] out = new int[ids.length + 1];
        out[0] = BOS;
        System.arraycopy(ids, 0, out, 1, ids.length);
        return out;
    };

    @Test
    void trailingSpaceOfTheContextMovesToTheContinuation() {
        ContinuationEncoding.Pair a = ContinuationEncoding.encode("Answer: ", "Paris", WITH_BOS, ENCODE, BOS);
        ContinuationEncoding.Pair b = ContinuationEncoding.encode("Answer:", " Paris", WITH_BOS, ENCODE, BOS);
        assertArrayEquals(new int[] {BOS, toy("Answer:")[0]}, a.context());
        assertArrayEquals(toy(" Paris"), a.continuation());
        assertArrayEquals(a.context(), b.context());
        assertArrayEquals(a.continuation(), b.continuation());
    }

    @Test
    void emptyContextIsBosAlone() {
        ContinuationEncoding.Pair p = ContinuationEncoding.encode("", " a b", WITH_BOS, ENCODE, BOS);
        assertArrayEquals(new int[] {BOS}, p.context());
        assertArrayEquals(toy(" a b"), p.continuation());
    }
}
