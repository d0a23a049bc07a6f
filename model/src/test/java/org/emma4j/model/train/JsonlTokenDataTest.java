package org.emma4j.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.emma4j.kernels.TestTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Windows, padding, the per-epoch order, positions and bad input of the JSON Lines token source. */
class JsonlTokenDataTest {
    private static final int IGN = LlamaTraining.IGNORE_INDEX;

    @TempDir
    Path dir;

    @Test
    void linesAreCutIntoWindowsOfTLabelledPositions() throws IOException {
        StringBuilder ids = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            ids.append(i == 0 ? "" : ",").append(i);
        }
        Path f = dir.resolve("d.jsonl");
        Files.writeString(f, "{\"input_ids\": [" + ids + "]}\n\n[40, 41]\n");
        try (var data = new JsonlTokenData(f, 8, 50, 0, false)) {
            assertEquals(4, data.sequencesPerEpoch(), "19 labels in windows of 8 (3 windows) and 1 label (1 window)");
            assertEquals(2, data.documents());
            int[] in = new int[8];
            int[] lab = new int[8];
            data.next(in, lab, 0);
            assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, in);
            assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6, 7, 8}, lab);
            data.next(in, lab, 0);
            assertArrayEquals(new int[] {8, 9, 10, 11, 12, 13, 14, 15}, in);
            assertArrayEquals(new int[] {9, 10, 11, 12, 13, 14, 15, 16}, lab);
            data.next(in, lab, 0);
            assertArrayEquals(new int[] {16, 17, 18, 0, 0, 0, 0, 0}, in, "a short last window is padded with token 0");
            assertArrayEquals(new int[] {17, 18, 19, IGN, IGN, IGN, IGN, IGN}, lab, "... whose labels are ignored");
            data.next(in, lab, 0);
            assertArrayEquals(new int[] {40, 0, 0, 0, 0, 0, 0, 0}, in);
            assertArrayEquals(new int[] {41, IGN, IGN, IGN, IGN, IGN, IGN, IGN}, lab);
            assertEquals(new DataPosition(0, 4), data.position());
            data.next(in, lab, 0);
            assertEquals(new DataPosition(1, 1), data.position(), "the next epoch starts");
            assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, in, "unshuffled: file order again");
        }
    }

    @Test
    void everyTokenPairOnceAnEpochInASeededOrderThatSeekReproduces() throws IOException {
        long seed = TestTensors.freshSeed();
        Path f = TinyRuns.writeData(dir.resolve("t.jsonl"), seed, 50);
        int t = 7;
        try (var a = new JsonlTokenData(f, t, TinyRuns.VOCAB, seed, true);
             var b = new JsonlTokenData(f, t, TinyRuns.VOCAB, seed, true);
             var plain = new JsonlTokenData(f, t, TinyRuns.VOCAB, seed, false)) {
            int n = (int) a.sequencesPerEpoch();
            Map<String, Integer> expected = pairs(plain, n, t);
            List<int[]> epoch0 = sequences(a, n, t);
            List<int[]> epoch1 = sequences(a, n, t);
            assertEquals(expected, pairs(epoch0, t), "epoch 0 holds every (input, label) pair exactly once; seed " + seed);
            assertEquals(expected, pairs(epoch1, t), "epoch 1 too; seed " + seed);
            assertFalse(Arrays.deepEquals(epoch0.toArray(), epoch1.toArray()), "each epoch has its own order; seed " + seed);
            assertFalse(Arrays.deepEquals(epoch0.toArray(), sequences(plain, n, t).toArray()), "shuffled differs from file order");
            // Seeking to a position mid-epoch in a fresh source continues with exactly the same sequences.
            b.seek(new DataPosition(1, 5));
            List<int[]> rest = sequences(b, n - 5, t);
            for (int i = 0; i < n - 5; i++) {
                assertArrayEquals(epoch1.get(5 + i), rest.get(i), "sequence " + (5 + i) + " of epoch 1; seed " + seed);
            }
            assertEquals(new DataPosition(1, n), b.position());
            var e = assertThrows(IllegalArgumentException.class, () -> b.seek(new DataPosition(0, n + 1)));
            assertTrue(e.getMessage().contains("cannot seek to sequence " + (n + 1)), e.getMessage());
        }
    }

    @Test
    void gzipFilesAreReadTransparently() throws IOException {
        Path f = dir.resolve("z.jsonl.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
            out.write("[1, 2, 3]\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        try (var data = new JsonlTokenData(f, 4, 10, 0, false)) {
            int[] in = new int[4];
            int[] lab = new int[4];
            data.next(in, lab, 0);
            assertArrayEquals(new int[] {1, 2, 0, 0}, in);
            assertArrayEquals(new int[] {2, 3, IGN, IGN}, lab);
        }
    }

    @Test
    void badLinesAreReportedWithFileAndLine() throws IOException {
        assertEquals("b.jsonl:2: token id 10 (input_ids[1]) is outside the model's vocabulary [0, 10)", bad("[1, 2]\n[3, 10]\n"));
        assertEquals("b.jsonl:1: input_ids[0] is 1.5, not a token id", bad("[1.5, 2]\n"));
        assertEquals("b.jsonl:1: a sequence needs at least 2 tokens (an input and its next-token label), found 1", bad("{\"input_ids\": [4]}\n"));
        assertTrue(bad("{\"text\": \"hello\"}\n").startsWith("b.jsonl:1: expected {\"input_ids\": [...]} or an array of token ids, found object"));
        assertTrue(bad("[1, 2\n").startsWith("b.jsonl:1: not valid JSON"));
        assertEquals("b.jsonl: no token sequences (the file is empty)", bad("\n"));
    }

    private String bad(String content) throws IOException {
        Path f = dir.resolve("b.jsonl");
        Files.writeString(f, content);
        String msg = assertThrows(IllegalArgumentException.class, () -> new JsonlTokenData(f, 4, 10, 0, true)).getMessage();
        return msg.replace(f.toString(), "b.jsonl");
    }

    private static List<int[]> sequences(TrainingData d, int count, int t) {
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int[] s = new int[2 * t];
            int[] in = new int[t];
            int[] lab = new int[t];
            d.next(in, lab, 0);
            System.arraycopy(in, 0, s, 0, t);
            System.arraycopy(lab, 0, s, t, t);
            out.add(s);
        }
        return out;
    }

    private static Map<String, Integer> pairs(TrainingData d, int count, int t) {
        return pairs(sequences(d, count, t), t);
    }

    /** Multiset of labelled (window start token, position, input, label) entries. */
    private static Map<String, Integer> pairs(List<int[]> seqs, int t) {
        Map<String, Integer> m = new HashMap<>();
        for (int[] s : seqs) {
            for (int i = 0; i < t; i++) {
                if (s[t + i] != IGN) {
                    m.merge(s[0] + "@" + i + ":" + s[i] + ">" + s[t + i], 1, Integer::sum);
                }
            }
        }
        return m;
    }
}
