package org.emma4j.model.eval.tasks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.emma4j.model.eval.data.DataFiles;
import org.emma4j.model.eval.data.DataFormatException;
import org.emma4j.model.eval.data.DataRecord;
import org.emma4j.model.eval.data.JsonRecords;
import org.emma4j.model.eval.metrics.PythonStrings;

/**
 * XCOPA (Ponti et al. 2020), as lm-evaluation-harness' xcopa_{lang} (lm_eval/tasks/xcopa/utils.py). Files: the
 * XCOPA repository's {@code data/{lang}/test.{lang}.jsonl} under {@code <data-dir>/xcopa/}, one JSON object per
 * line with premise, choice1, choice2, question ("cause" or "effect") and label (0 or 1). Prompt: the premise
 * without its final character (the period), a space and the language's word for "because" or "therefore";
 * the choices with their first letter lower-cased, after a space.
 */
public final class XcopaTask extends MultipleChoiceTask {

    /** The harness' connectors: {cause, effect} per language. */
    static final Map<String, String[]> CONNECTORS = Map.ofEntries(
            Map.entry("et", new String[] {"sest", "seetõttu"}),
            Map.entry("ht", new String[] {"poukisa", "donk sa"}),
            Map.entry("it", new String[] {"perché", "quindi"}),
            Map.entry("id", new String[] {"karena", "maka"}),
            Map.entry("qu", new String[] {"imataq", "chaymi"}),
            Map.entry("sw", new String[] {"kwa sababu", "kwa hiyo"}),
            Map.entry("zh", new String[] {"因为", "所以"}),
            Map.entry("ta", new String[] {"காரணமாக", "எனவே"}),
            Map.entry("th", new String[] {"เพราะ", "ดังนั้น"}),
            Map.entry("tr", new String[] {"çünkü", "bu yüzden"}),
            Map.entry("vi", new String[] {"bởi vì", "vì vậy"}));

    @Override
    public String name() {
        return "xcopa";
    }

    static Path file(Path dataDir, String lang) {
        return dataDir.resolve("xcopa").resolve("data").resolve(lang).resolve("test." + lang + ".jsonl");
    }

    @Override
    public List<String> languages(Path dataDir) throws IOException {
        return TaskFiles.languages(dataDir.resolve("xcopa").resolve("data"), Pattern.compile("([a-z]+)"), true).stream()
                .filter(l -> java.nio.file.Files.isRegularFile(file(dataDir, l))).toList();
    }

    @Override
    protected List<McQuestion> questions(Path dataDir, String language) throws IOException {
        String[] connector = CONNECTORS.get(language);
        if (connector == null) {
            throw new IllegalArgumentException("xcopa has no connector words for language '" + language + "'; known: "
                    + new java.util.TreeSet<>(CONNECTORS.keySet()));
        }
        List<McQuestion> out = new ArrayList<>();
        for (DataRecord r : JsonRecords.readLines(DataFiles.require(file(dataDir, language), "XCOPA test file"))) {
            String question = r.text("question");
            String conn = switch (question) {
                case "cause" -> connector[0];
                case "effect" -> connector[1];
                default -> throw new DataFormatException(r.location(), "question should be 'cause' or 'effect', found '" + question + "'");
            };
            String premise = PythonStrings.strip(r.text("premise"));
            String context = premise.substring(0, premise.offsetByCodePoints(premise.length(), -1)) + " " + conn;
            int label = r.integer("label");
            if (label != 0 && label != 1) {
                throw new DataFormatException(r.location(), "label should be 0 or 1, found " + label);
            }
            out.add(new McQuestion(context, List.of(lowerFirst(r.text("choice1")), lowerFirst(r.text("choice2"))), label, " "));
        }
        return out;
    }

    /** {@code choice[0].lower() + choice[1:]}. */
    static String lowerFirst(String s) {
        if (s.isEmpty()) {
            return s;
        }
        int first = Character.charCount(s.codePointAt(0));
        return s.substring(0, first).toLowerCase(Locale.ROOT) + s.substring(first);
    }
}
