package org.emma4j.model.eval.tasks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.emma4j.model.eval.data.DataFiles;
import org.emma4j.model.eval.data.DataFormatException;
import org.emma4j.model.eval.data.DataRecord;
import org.emma4j.model.eval.data.DelimitedRecords;
import org.emma4j.model.eval.data.JsonRecords;
import org.emma4j.model.eval.data.MissingDataException;

/**
 * XNLI (Conneau et al. 2018), as lm-evaluation-harness' xnli_{lang} (lm_eval/tasks/xnli/utils.py): the
 * context is empty (BOS alone) and the three choices are whole sentences, "premise, right? Yes, hypothesis"
 * for entailment, "…? Also, …" for neutral and "…? No, …" for contradiction, in the language's words.
 *
 * <p>Files under {@code <data-dir>/xnli/}: either the XNLI-1.0 release's {@code XNLI-1.0/xnli.test.tsv}
 * (tab-separated with a header; columns language, gold_label, sentence1, sentence2), or
 * {@code {lang}/test.jsonl} with premise, hypothesis and label (0 entailment, 1 neutral, 2 contradiction, or
 * those words).
 */
public final class XnliTask extends MultipleChoiceTask {

    /** The harness' words: question word, then the entailment, neutral and contradiction labels. */
    static final Map<String, String[]> WORDS = Map.ofEntries(
            Map.entry("ar", new String[] {"صحيح", "نعم", "لذا", "رقم"}),
            Map.entry("bg", new String[] {"правилно", "да", "така", "не"}),
            Map.entry("de", new String[] {"richtig", "Ja", "Auch", "Nein"}),
            Map.entry("el", new String[] {"σωστός", "Ναί", "Έτσι", "όχι"}),
            Map.entry("en", new String[] {"right", "Yes", "Also", "No"}),
            Map.entry("es", new String[] {"correcto", "Sí", "Asi que", "No"}),
            Map.entry("fr", new String[] {"correct", "Oui", "Aussi", "Non"}),
            Map.entry("hi", new String[] {"सही", "हाँ", "इसलिए", "नहीं"}),
            Map.entry("ru", new String[] {"правильно", "Да", "Так", "Нет"}),
            Map.entry("sw", new String[] {"sahihi", "Ndiyo", "Hivyo", "Hapana"}),
            Map.entry("th", new String[] {"ถูกต้อง", "ใช่", "ดังนั้น", "ไม่"}),
            Map.entry("tr", new String[] {"doğru", "Evet", "Böylece", "Hayır"}),
            Map.entry("ur", new String[] {"صحیح", "جی ہاں", "اس لئے", "نہیں"}),
            Map.entry("vi", new String[] {"đúng", "Vâng", "Vì vậy", "Không"}),
            Map.entry("zh", new String[] {"正确", "是的", "所以", "不是的"}));

    private static final List<String> LABELS = List.of("entailment", "neutral", "contradiction");

    @Override
    public String name() {
        return "xnli";
    }

    static Path releaseTsv(Path dataDir) {
        return dataDir.resolve("xnli").resolve("XNLI-1.0").resolve("xnli.test.tsv");
    }

    static Path jsonl(Path dataDir, String lang) {
        return dataDir.resolve("xnli").resolve(lang).resolve("test.jsonl");
    }

    @Override
    public List<String> languages(Path dataDir) throws IOException {
        TreeSet<String> langs = new TreeSet<>();
        if (Files.isRegularFile(releaseTsv(dataDir))) {
            for (DataRecord r : DelimitedRecords.read(releaseTsv(dataDir), '\t', false, null)) {
                langs.add(r.text("language"));
            }
        }
        for (String l : TaskFiles.languages(dataDir.resolve("xnli"), Pattern.compile("([a-z]{2,3})"), true)) {
            if (Files.isRegularFile(jsonl(dataDir, l))) {
                langs.add(l);
            }
        }
        langs.retainAll(WORDS.keySet());
        return List.copyOf(langs);
    }

    @Override
    protected List<McQuestion> questions(Path dataDir, String language) throws IOException {
        String[] w = WORDS.get(language);
        if (w == null) {
            throw new IllegalArgumentException("xnli has no prompt words for language '" + language + "'; known: " + new TreeSet<>(WORDS.keySet()));
        }
        List<McQuestion> out = new ArrayList<>();
        if (Files.isRegularFile(jsonl(dataDir, language))) {
            for (DataRecord r : JsonRecords.readLines(jsonl(dataDir, language))) {
                out.add(question(w, r.text("premise"), r.text("hypothesis"), label(r, "label")));
            }
        } else if (Files.isRegularFile(releaseTsv(dataDir))) {
            for (DataRecord r : DelimitedRecords.read(releaseTsv(dataDir), '\t', false, null)) {
                if (r.text("language").equals(language)) {
                    out.add(question(w, r.text("sentence1"), r.text("sentence2"), label(r, "gold_label")));
                }
            }
            if (out.isEmpty()) {
                throw new DataFormatException(releaseTsv(dataDir).toString(), "no rows for language '" + language + "'");
            }
        } else {
            throw new MissingDataException("XNLI test data (or " + releaseTsv(dataDir) + ")", jsonl(dataDir, language));
        }
        return out;
    }

    private static int label(DataRecord r, String field) throws DataFormatException {
        String v = r.text(field).strip();
        int i = LABELS.indexOf(v);
        if (i >= 0) {
            return i;
        }
        if (v.matches("[012]")) {
            return Integer.parseInt(v);
        }
        throw new DataFormatException(r.location(), field + " should be 0/1/2 or entailment/neutral/contradiction, found '" + v + "'");
    }

    static McQuestion question(String[] w, String premise, String hypothesis, int gold) {
        String q = ", " + w[0] + "? ";
        return new McQuestion("", List.of(premise + q + w[1] + ", " + hypothesis, premise + q + w[2] + ", " + hypothesis,
                premise + q + w[3] + ", " + hypothesis), gold, " ");
    }
}
