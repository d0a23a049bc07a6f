package org.emma4j.model.data.prepare;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.emma4j.model.data.mix.BosPolicy;
import org.emma4j.model.data.shards.TokenShardDataset;

/** Reconstructs the documents packed in a split, by undoing the packing rules. */
final class ShardReading {
    private ShardReading() {
    }

    /**
     * The documents of {@code split} in packing order: the sequences' real tokens concatenated, the BOS
     * that starts each sequence (or document) removed, split after each EOS. Fails if the stream does not
     * follow the rules (a sequence not starting with BOS, a partial document at the end).
     */
    static List<int[]> documents(Path dir, String split) throws IOException {
        List<int[]> docs = new ArrayList<>();
        try (TokenShardDataset data = TokenShardDataset.open(dir, split)) {
            BosPolicy bos = data.index().bos();
            int bosId = data.index().bosId();
            int eosId = data.index().eosId();
            int[] seq = new int[data.sequenceLength()];
            org.emma4j.model.data.IntList current = new org.emma4j.model.data.IntList();
            boolean expectDocBos = bos == BosPolicy.DOCUMENT_START;
            for (long i = 0; i < data.count(); i++) {
                data.read(i, seq, 0);
                int valid = data.validLength(i);
                int start = 0;
                if (bos == BosPolicy.SEQUENCE_START) {
                    if (seq[0] != bosId) {
                        throw new AssertionError("sequence " + i + " does not start with BOS");
                    }
                    start = 1;
                }
                for (int t = start; t < valid; t++) {
                    if (expectDocBos) {
                        if (seq[t] != bosId) {
                            throw new AssertionError("document in sequence " + i + " does not start with BOS");
                        }
                        expectDocBos = false;
                        continue;
                    }
                    if (seq[t] == eosId) {
                        docs.add(current.toArray());
                        current = new org.emma4j.model.data.IntList();
                        expectDocBos = bos == BosPolicy.DOCUMENT_START;
                    } else {
                        current.add(seq[t]);
                    }
                }
                for (int t = valid; t < seq.length; t++) {
                    if (seq[t] != data.padId()) {
                        throw new AssertionError("padding of sequence " + i + " is not the pad id");
                    }
                }
            }
            if (current.size() > 0) {
                throw new AssertionError("the split ends inside a document: " + Arrays.toString(current.toArray()));
            }
        }
        return docs;
    }

    /** A multiset key for a document. */
    static String key(int[] doc) {
        return Arrays.toString(doc);
    }
}
