package org.emma4j.model.eval.report;

import java.util.ArrayList;
import java.util.List;
import org.emma4j.model.eval.tasks.LanguageResult;

/** The values two result files share: per task and metric, each common language and the two averages. */
public final class Comparison {
    private Comparison() {
    }

    /** One value of run A beside the same value of run B; language "average" holds the task averages. */
    public record Row(String task, String metric, String language, double a, double b) {
    }

    public static List<Row> rows(EvalResults a, EvalResults b) {
        List<Row> out = new ArrayList<>();
        for (TaskResults ta : a.tasks()) {
            TaskResults tb = b.task(ta.task());
            if (tb == null) {
                continue;
            }
            for (String metric : ta.metricNames()) {
                if (!tb.average().containsKey(metric)) {
                    continue;
                }
                for (LanguageResult la : ta.languages()) {
                    for (LanguageResult lb : tb.languages()) {
                        if (la.language().equals(lb.language()) && la.metrics().containsKey(metric) && lb.metrics().containsKey(metric)) {
                            out.add(new Row(ta.task(), metric, la.language(), la.metrics().get(metric), lb.metrics().get(metric)));
                        }
                    }
                }
                out.add(new Row(ta.task(), metric, "average", ta.average().get(metric), tb.average().get(metric)));
            }
        }
        return out;
    }
}
