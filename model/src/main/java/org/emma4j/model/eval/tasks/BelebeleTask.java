package org.emma4j.model.eval.tasks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.emma4j.model.eval.data.DataFiles;
import org.emma4j.model.eval.data.DataFormatException;
import org.emma4j.model.eval.data.DataRecord;
import org.emma4j.model.eval.data.JsonRecords;
import org.emma4j.model.eval.metrics.PythonStrings;

/**
 * BELEBELE (Bandarkar et al. 2023), as lm-evaluation-harness' belebele_{lang}
 * (lm_eval/tasks/belebele/_default_template_yaml). Files: the release's {@code {lang}.jsonl} (FLORES codes such
 * as eng_Latn) under {@code <data-dir>/belebele/}, with flores_passage, question, mc_answer1..4 and
 * correct_answer_num (1..4). Prompt: "P: passage\nQ: question\nA: …\nB: …\nC: …\nD: …\nAnswer:"; the choices
 * are the letters A–D after a space.
 */
public final class BelebeleTask extends MultipleChoiceTask {

    @Override
    public String name() {
        return "belebele";
    }

    static Path file(Path dataDir, String lang) {
        return dataDir.resolve("belebele").resolve(lang + ".jsonl");
    }

    @Override
    public List<String> languages(Path dataDir) throws IOException {
        return TaskFiles.languages(dataDir.resolve("belebele"), Pattern.compile("(.+)\\.jsonl"), false);
    }

    @Override
    protected List<McQuestion> questions(Path dataDir, String language) throws IOException {
        List<McQuestion> out = new ArrayList<>();
        for (DataRecord r : JsonRecords.readLines(DataFiles.require(file(dataDir, language), "BELEBELE file"))) {
            String context = "P: " + r.text("flores_passage") + "\nQ: " + PythonStrings.strip(r.text("question")) + "\nA: "
                    + r.text("mc_answer1") + "\nB: " + r.text("mc_answer2") + "\nC: " + r.text("mc_answer3") + "\nD: "
                    + r.text("mc_answer4") + "\nAnswer:";
            int correct = r.integer("correct_answer_num");
            if (correct < 1 || correct > 4) {
                throw new DataFormatException(r.location(), "correct_answer_num should be 1..4, found " + correct);
            }
            out.add(new McQuestion(context, List.of("A", "B", "C", "D"), correct - 1, " "));
        }
        return out;
    }
}
