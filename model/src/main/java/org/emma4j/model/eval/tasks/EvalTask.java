package org.emma4j.model.eval.tasks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.emma4j.model.eval.EvalModel;

/** A benchmark: where its files live, which languages it has, and how one language is scored. */
public interface EvalTask {

    /** The name used on the command line and in result files. */
    String name();

    /** The languages whose files are present under {@code dataDir}, sorted; used when none are named. */
    List<String> languages(Path dataDir) throws IOException;

    /** Scores the model on one language. */
    LanguageResult evaluate(EvalModel model, String language, TaskContext context) throws IOException;
}
