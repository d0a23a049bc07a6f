package org.emma4j.model.data.prepare;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.emma4j.model.data.BadInputException;

/**
 * The language groups met while reading (numbered in order of first appearance, so deterministically) and
 * the per-source tallies of what was read, skipped and excluded.
 */
final class GroupTable {
    /** Counters of one source. */
    static final class SourceTally {
        long records;
        final Map<String, Long> skipped = new TreeMap<>();
        final Map<String, Long> excluded = new TreeMap<>();
    }

    /** Counters of one (source, language) group. */
    static final class Group {
        final int source;
        final String key;
        long records;
        long documents;
        long tokens;

        Group(int source, String key) {
            this.source = source;
            this.key = key;
        }
    }

    static final int MAX_EXAMPLES = 20;

    private final List<Group> groups = new ArrayList<>();
    private final Map<String, Integer> ids = new HashMap<>();
    private final List<SourceTally> sources = new ArrayList<>();
    private final List<String> skippedExamples = new ArrayList<>();

    GroupTable(int sourceCount) {
        for (int i = 0; i < sourceCount; i++) {
            sources.add(new SourceTally());
        }
    }

    int groupId(int source, String key) {
        return ids.computeIfAbsent(source + "\u0000" + key, k -> {
            groups.add(new Group(source, key));
            return groups.size() - 1;
        });
    }

    Group group(int id) {
        return groups.get(id);
    }

    int groupCount() {
        return groups.size();
    }

    SourceTally source(int s) {
        return sources.get(s);
    }

    void skip(int source, BadInputException e) {
        sources.get(source).skipped.merge(e.reason().key(), 1L, Long::sum);
        if (skippedExamples.size() < MAX_EXAMPLES) {
            skippedExamples.add(e.getMessage());
        }
    }

    void exclude(int source, String group) {
        sources.get(source).excluded.merge(group, 1L, Long::sum);
    }

    List<String> skippedExamples() {
        return skippedExamples;
    }

    /** Group ids of source {@code s}, in id order. */
    List<Integer> groupsOf(int s) {
        List<Integer> out = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            if (groups.get(g).source == s) {
                out.add(g);
            }
        }
        return out;
    }
}
