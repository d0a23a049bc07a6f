package org.emma4j.model.data.prepare;

import org.emma4j.model.data.BadInputException;

/**
 * What became of one record: tokenized documents of a language group, an excluded language, or bad input.
 *
 * @param source the source's index
 * @param group the language group (a code, or "src-tgt" for pairs); null when bad
 * @param documents the token ids of each document (two for a pair written both ways); empty unless accepted
 * @param bad why the record was refused, or null
 * @param excluded whether the group is filtered out by the source's {@code languages}
 */
record Outcome(int source, String group, int[][] documents, BadInputException bad, boolean excluded) {
    static Outcome accepted(int source, String group, int[][] documents) {
        return new Outcome(source, group, documents, null, false);
    }

    static Outcome excluded(int source, String group) {
        return new Outcome(source, group, new int[0][], null, true);
    }

    static Outcome bad(int source, BadInputException e) {
        return new Outcome(source, null, new int[0][], e, false);
    }
}
