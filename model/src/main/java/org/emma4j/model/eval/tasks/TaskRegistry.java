package org.emma4j.model.eval.tasks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The tasks by name, in the order the paper reports them. */
public final class TaskRegistry {
    private TaskRegistry() {
    }

    private static Map<String, EvalTask> tasks() {
        Map<String, EvalTask> m = new LinkedHashMap<>();
        for (EvalTask t : List.of(new PerplexityTask(), new FloresTask(), new TopicClassificationTask(TopicDataset.SIB200),
                new TopicClassificationTask(TopicDataset.TAXI1500), new XcopaTask(), new XStoryClozeTask(), new XnliTask(),
                new BelebeleTask(), new ArcMultilingualTask(), new MgsmTask(), SummarizationTask.xlsum(),
                SummarizationTask.massiveSummLong(), SummarizationTask.massiveSummShort())) {
            m.put(t.name(), t);
        }
        return m;
    }

    public static List<String> names() {
        return List.copyOf(tasks().keySet());
    }

    /** The tasks named in a comma-separated list ("all" for every task). */
    public static List<EvalTask> parse(String list) {
        Map<String, EvalTask> all = tasks();
        List<EvalTask> out = new ArrayList<>();
        for (String name : list.split(",")) {
            String n = name.strip();
            if (n.isEmpty()) {
                continue;
            }
            if (n.equals("all")) {
                out.addAll(all.values());
                continue;
            }
            EvalTask t = all.get(n);
            if (t == null) {
                throw new IllegalArgumentException("unknown task '" + n + "'; known tasks: " + String.join(", ", all.keySet()));
            }
            out.add(t);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no task named; known tasks: " + String.join(", ", all.keySet()));
        }
        return out;
    }
}
