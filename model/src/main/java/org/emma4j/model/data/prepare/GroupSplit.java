package org.emma4j.model.data.prepare;

import java.util.SplittableRandom;
import org.emma4j.model.data.IntList;
import org.emma4j.model.data.Seeds;
import org.emma4j.model.data.mix.HeldoutConfig;

/**
 * One language group's documents divided into training and validation. The validation part is a seeded
 * random choice of whole records (both directions of a pair stay together, so a pair never trains in one
 * direction while it is evaluated in the other), depending only on the seed, the source and language names
 * and the group's records.
 *
 * @param train training documents, in input order
 * @param validation held-out documents, in input order
 * @param heldoutRecords records held out
 * @param trainTokens the training documents' tokens (n_l of the mix)
 * @param validationTokens the held-out documents' tokens
 */
record GroupSplit(int[] train, int[] validation, int heldoutRecords, long trainTokens, long validationTokens) {

    static GroupSplit of(DocumentStore store, int[] docs, HeldoutConfig heldout, long seed, String source, String group) {
        // Record boundaries: documents of one record are consecutive.
        IntList recordStarts = new IntList();
        for (int i = 0; i < docs.length; i++) {
            if (i == 0 || store.record(docs[i]) != store.record(docs[i - 1])) {
                recordStarts.add(i);
            }
        }
        int records = recordStarts.size();
        int held = heldout.count(records);
        boolean[] out = new boolean[records];
        if (held > 0) {
            int[] order = new int[records];
            for (int i = 0; i < records; i++) {
                order[i] = i;
            }
            SplittableRandom rnd = new SplittableRandom(Seeds.derive(seed, Seeds.name("heldout"), Seeds.name(source), Seeds.name(group)));
            for (int i = 0; i < held; i++) {
                int j = i + rnd.nextInt(records - i);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
                out[order[i]] = true;
            }
        }
        IntList train = new IntList(docs.length);
        IntList validation = new IntList();
        long trainTokens = 0;
        long validationTokens = 0;
        for (int r = 0; r < records; r++) {
            int end = r + 1 < records ? recordStarts.get(r + 1) : docs.length;
            for (int i = recordStarts.get(r); i < end; i++) {
                if (out[r]) {
                    validation.add(docs[i]);
                    validationTokens += store.length(docs[i]);
                } else {
                    train.add(docs[i]);
                    trainTokens += store.length(docs[i]);
                }
            }
        }
        return new GroupSplit(train.toArray(), validation.toArray(), held, trainTokens, validationTokens);
    }
}
