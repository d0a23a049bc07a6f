package org.emma4j.model.data.shards;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.emma4j.kernels.TestTensors;
import org.emma4j.model.data.IntList;
import org.emma4j.model.data.mix.BosPolicy;
import org.junit.jupiter.api.Test;

/** Packing rules: EOS after documents, BOS per policy, cuts across sequences, final padding. */
class SequencePackerTest {
    private static final int BOS = 1000;
    private static final int EOS = 1001;

    @Test
    void packedStreamIsTheDocumentsWithSeparatorsCutIntoSequences() throws IOException {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (BosPolicy bos : BosPolicy.values()) {
            for (int length : new int[] {2, 7, 33, 130}) {
                List<int[]> docs = new ArrayList<>();
                for (int d = 0, n = 1 + rnd.nextInt(40); d < n; d++) {
                    int[] doc = new int[1 + rnd.nextInt(3 * length)];
                    for (int t = 0; t < doc.length; t++) {
                        doc[t] = rnd.nextInt(BOS);
                    }
                    docs.add(doc);
                }
                List<int[]> seqs = new ArrayList<>();
                int[] lastValid = {length};
                SequencePacker packer = new SequencePacker(length, bos, BOS, EOS, EOS, (s, v) -> {
                    seqs.add(s.clone());
                    lastValid[0] = v;
                });
                for (int[] d : docs) {
                    packer.addDocument(d, 0, d.length);
                }
                packer.finish();
                // Expected stream, written out by the rule.
                IntList content = new IntList();
                for (int[] d : docs) {
                    if (bos == BosPolicy.DOCUMENT_START) {
                        content.add(BOS);
                    }
                    for (int t : d) {
                        content.add(t);
                    }
                    content.add(EOS);
                }
                IntList got = new IntList();
                for (int i = 0; i < seqs.size(); i++) {
                    int[] s = seqs.get(i);
                    int valid = i == seqs.size() - 1 ? lastValid[0] : length;
                    int start = 0;
                    if (bos == BosPolicy.SEQUENCE_START) {
                        assertEquals(BOS, s[0], "every sequence starts with BOS");
                        start = 1;
                    }
                    for (int t = start; t < valid; t++) {
                        got.add(s[t]);
                    }
                    for (int t = valid; t < length; t++) {
                        assertEquals(EOS, s[t], "padding is the pad id");
                    }
                }
                assertArrayEquals(content.toArray(), got.toArray(), "seed " + seed + " " + bos + " length " + length);
                int perSeq = bos == BosPolicy.SEQUENCE_START ? length - 1 : length;
                assertEquals((content.size() + perSeq - 1) / perSeq, seqs.size(), "no empty or missing sequences");
                assertEquals(docs.size(), packer.documents());
                assertTrue(lastValid[0] > (bos == BosPolicy.SEQUENCE_START ? 1 : 0), Arrays.toString(seqs.get(seqs.size() - 1)));
            }
        }
    }
}
