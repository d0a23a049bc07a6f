package org.emma4j.model.eval.report;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.emma4j.model.eval.EvalModel;
import org.emma4j.model.eval.tasks.EvalTask;
import org.emma4j.model.eval.tasks.LanguageResult;
import org.emma4j.model.eval.tasks.TaskContext;

/**
 * Runs tasks over languages. With named languages, a task runs those it has files for (the others are noted
 * on {@code notes}); when a single task is named, every named language runs, so a missing file is an error
 * that names the expected path. Without named languages a task runs every language found under the data
 * directory.
 */
public final class EvalRunner {
    private EvalRunner() {
    }

    public static EvalResults run(EvalModel model, String modelName, List<EvalTask> tasks, List<String> languages, TaskContext context,
                                  Map<String, Object> settings, PrintWriter notes) throws IOException {
        List<TaskResults> out = new ArrayList<>();
        for (EvalTask task : tasks) {
            List<String> available = task.languages(context.dataDir());
            List<String> chosen;
            if (languages == null || languages.isEmpty()) {
                chosen = available;
            } else if (tasks.size() == 1) {
                chosen = languages;
            } else {
                chosen = languages.stream().filter(available::contains).toList();
                List<String> skipped = languages.stream().filter(l -> !available.contains(l)).toList();
                if (!skipped.isEmpty()) {
                    notes.println("emma4j eval: " + task.name() + " has no data for " + String.join(", ", skipped) + "; skipped");
                }
            }
            if (chosen.isEmpty()) {
                throw new IllegalArgumentException("task " + task.name() + " found no languages to evaluate under "
                        + context.dataDir().toAbsolutePath() + (available.isEmpty() ? " (no files in its layout there)"
                        : " (it has " + String.join(", ", available) + ")"));
            }
            List<LanguageResult> results = new ArrayList<>();
            for (String language : chosen) {
                results.add(task.evaluate(model, language, context));
            }
            out.add(TaskResults.of(task.name(), results));
        }
        return new EvalResults(modelName, java.time.Instant.now().toString(), settings, out);
    }
}
