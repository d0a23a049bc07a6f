package org.emma4j.model.eval.metrics;

import java.util.ArrayList;
import java.util.List;

/** sacreBLEU's reference layout: streams of lines, one line per hypothesis in each stream. */
final class ReferenceStreams {
    private ReferenceStreams() {
    }

    static void check(List<String> hypotheses, List<List<String>> streams) {
        if (streams.isEmpty()) {
            throw new IllegalArgumentException("at least one reference stream is needed");
        }
        for (int r = 0; r < streams.size(); r++) {
            if (streams.get(r).size() != hypotheses.size()) {
                throw new IllegalArgumentException("reference stream " + (r + 1) + " has " + streams.get(r).size()
                        + " lines but there are " + hypotheses.size() + " hypotheses");
            }
        }
    }

    /** The non-empty references of segment {@code s} (sacreBLEU drops empty ones; none at all is an error). */
    static List<String> segment(List<List<String>> streams, int s) {
        List<String> refs = new ArrayList<>(streams.size());
        for (List<String> stream : streams) {
            String line = stream.get(s);
            if (line != null && !line.isEmpty()) {
                refs.add(line);
            }
        }
        if (refs.isEmpty()) {
            throw new IllegalArgumentException("segment " + (s + 1) + " has only empty references");
        }
        return refs;
    }
}
