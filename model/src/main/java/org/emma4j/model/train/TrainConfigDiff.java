package org.emma4j.model.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** The settings two resolved configs differ in (a resume under a changed config says what changed). */
final class TrainConfigDiff {
    private TrainConfigDiff() {
    }

    /** "key.path: old -> new" for every leaf that differs, in key order. */
    static List<String> between(TrainConfig before, TrainConfig after) {
        ObjectMapper mapper = new ObjectMapper();
        List<String> out = new ArrayList<>();
        diff("", mapper.valueToTree(before), mapper.valueToTree(after), out);
        return out;
    }

    private static void diff(String path, JsonNode a, JsonNode b, List<String> out) {
        if (a != null && b != null && a.isObject() && b.isObject()) {
            TreeSet<String> keys = new TreeSet<>();
            a.fieldNames().forEachRemaining(keys::add);
            b.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                diff(path.isEmpty() ? k : path + "." + k, a.get(k), b.get(k), out);
            }
        } else if (!String.valueOf(a).equals(String.valueOf(b))) {
            out.add(path + ": " + a + " -> " + b);
        }
    }
}
