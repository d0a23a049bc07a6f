package org.emma4j.model.eval.tasks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.emma4j.model.eval.data.DataFiles;
import org.emma4j.model.eval.data.DataFormatException;
import org.emma4j.model.eval.data.DataRecord;
import org.emma4j.model.eval.data.DelimitedRecords;
import org.emma4j.model.eval.data.MissingDataException;

/**
 * XStoryCloze (Lin et al. 2022), as lm-evaluation-harness' xstorycloze_{lang}. Files under
 * {@code <data-dir>/xstorycloze/}: the release's {@code spring2016.val.{lang}.tsv.split_20_80_eval.tsv}
 * (tab-separated, with a header), or else {@code {lang}.csv} (comma-separated with quotes, the original
 * StoryCloze CSV layout); columns InputSentence1..4, RandomFifthSentenceQuiz1, RandomFifthSentenceQuiz2 and
 * AnswerRightEnding (1 or 2). Prompt: the four sentences joined by spaces; the two endings after a space.
 */
public final class XStoryClozeTask extends MultipleChoiceTask {

    @Override
    public String name() {
        return "xstorycloze";
    }

    static Path tsv(Path dataDir, String lang) {
        return dataDir.resolve("xstorycloze").resolve("spring2016.val." + lang + ".tsv.split_20_80_eval.tsv");
    }

    static Path csv(Path dataDir, String lang) {
        return dataDir.resolve("xstorycloze").resolve(lang + ".csv");
    }

    @Override
    public List<String> languages(Path dataDir) throws IOException {
        Path dir = dataDir.resolve("xstorycloze");
        var langs = new java.util.TreeSet<>(TaskFiles.languages(dir, Pattern.compile("spring2016\\.val\\.([A-Za-z_-]+)\\.tsv\\.split_20_80_eval\\.tsv"), false));
        langs.addAll(TaskFiles.languages(dir, Pattern.compile("([A-Za-z_-]+)\\.csv"), false));
        return List.copyOf(langs);
    }

    @Override
    protected List<McQuestion> questions(Path dataDir, String language) throws IOException {
        List<DataRecord> rows;
        if (Files.isRegularFile(tsv(dataDir, language))) {
            rows = DelimitedRecords.read(tsv(dataDir, language), '\t', false, null);
        } else if (Files.isRegularFile(csv(dataDir, language))) {
            rows = DelimitedRecords.read(csv(dataDir, language), ',', true, null);
        } else {
            throw new MissingDataException("XStoryCloze eval file (or " + csv(dataDir, language).getFileName() + ")", tsv(dataDir, language));
        }
        List<McQuestion> out = new ArrayList<>();
        for (DataRecord r : rows) {
            String context = String.join(" ", r.text("InputSentence1"), r.text("InputSentence2"), r.text("InputSentence3"),
                    r.text("InputSentence4"));
            int right = r.integer("AnswerRightEnding");
            if (right != 1 && right != 2) {
                throw new DataFormatException(r.location(), "AnswerRightEnding should be 1 or 2, found " + right);
            }
            out.add(new McQuestion(context, List.of(r.text("RandomFifthSentenceQuiz1"), r.text("RandomFifthSentenceQuiz2")), right - 1, " "));
        }
        return out;
    }
}
