package org.emma4j.model.eval.tasks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.emma4j.model.eval.data.DataFormatException;
import org.emma4j.model.eval.data.DataRecord;
import org.emma4j.model.eval.data.JsonRecords;
import org.emma4j.model.eval.data.MissingDataException;

/**
 * Multilingual ARC (Okapi, Lai et al. 2023), as lm-evaluation-harness' arc_{lang} (lm_eval/tasks/okapi/
 * arc_multilingual/utils.py). Files under {@code <data-dir>/arc_multilingual/}: Okapi's {@code {lang}_test.json}
 * (a JSON array) or {@code {lang}_test.jsonl}, objects with instruction (the question), option_a..option_e
 * (empty or missing when absent) and answer (a letter A–E). Prompt: "Question: q\nAnswer:"; the non-empty
 * options after a space. Question and options are cleaned as the harness does: stripped, " [title]" →
 * ". ", bracketed tags removed, double spaces made single.
 */
public final class ArcMultilingualTask extends MultipleChoiceTask {
    private static final Pattern TAG = Pattern.compile("\\[.*?\\]");
    private static final String[] OPTIONS = {"option_a", "option_b", "option_c", "option_d", "option_e"};

    @Override
    public String name() {
        return "arc_multilingual";
    }

    @Override
    public List<String> languages(Path dataDir) throws IOException {
        TreeSet<String> langs = new TreeSet<>(TaskFiles.languages(dataDir.resolve("arc_multilingual"), Pattern.compile("(.+)_test\\.json"), false));
        langs.addAll(TaskFiles.languages(dataDir.resolve("arc_multilingual"), Pattern.compile("(.+)_test\\.jsonl"), false));
        return List.copyOf(langs);
    }

    @Override
    protected List<McQuestion> questions(Path dataDir, String language) throws IOException {
        Path json = dataDir.resolve("arc_multilingual").resolve(language + "_test.json");
        Path jsonl = dataDir.resolve("arc_multilingual").resolve(language + "_test.jsonl");
        List<DataRecord> records;
        if (Files.isRegularFile(json)) {
            records = JsonRecords.readArray(json);
        } else if (Files.isRegularFile(jsonl)) {
            records = JsonRecords.readLines(jsonl);
        } else {
            throw new MissingDataException("multilingual ARC test file (or " + jsonl.getFileName() + ")", json);
        }
        List<McQuestion> out = new ArrayList<>();
        for (DataRecord r : records) {
            String question = r.has("instruction") ? r.text("instruction") : r.text("question");
            List<String> choices = new ArrayList<>();
            for (String o : OPTIONS) {
                String option = r.textOr(o, "");
                if (!option.isEmpty()) {
                    choices.add(preprocess(option));
                }
            }
            String answer = r.text("answer").strip();
            int gold = "ABCDE".indexOf(answer);
            if (answer.length() != 1 || gold < 0 || gold >= choices.size()) {
                throw new DataFormatException(r.location(), "answer should be a letter among the " + choices.size() + " options, found '"
                        + answer + "'");
            }
            out.add(new McQuestion("Question: " + preprocess(question) + "\nAnswer:", choices, gold, " "));
        }
        return out;
    }

    /** The harness' {@code preprocess}. */
    static String preprocess(String text) {
        String t = org.emma4j.model.eval.metrics.PythonStrings.strip(text);
        t = t.replace(" [title]", ". ");
        t = TAG.matcher(t).replaceAll("");
        return t.replace("  ", " ");
    }
}
