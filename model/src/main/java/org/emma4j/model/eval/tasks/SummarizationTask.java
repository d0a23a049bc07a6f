package org.emma4j.model.eval.tasks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.emma4j.model.eval.EvalModel;
import org.emma4j.model.eval.GenerationRequest;
import org.emma4j.model.eval.data.DataFiles;
import org.emma4j.model.eval.data.DataRecord;
import org.emma4j.model.eval.data.JsonRecords;
import org.emma4j.model.eval.metrics.DefaultRougeTokenizer;
import org.emma4j.model.eval.metrics.MultilingualRougeTokenizer;
import org.emma4j.model.eval.metrics.PythonStrings;
import org.emma4j.model.eval.metrics.Rouge;

/**
 * Zero-shot summarization with the EMMA-500 paper's prompt (evaluation/XLSum/eval_xlsum.py): "{Document}:
 * text\n{instruction}:" in the language of the article (table in summarization_prompts.tsv; English for
 * languages it lacks), up to {@value #MAX_TOKENS} generated tokens as in the paper, scored with ROUGE-L
 * F-measure × 100 twice: {@code rougeL} with rouge-score's default tokenizer (ASCII letters and digits only)
 * and {@code rougeL_multilingual} with {@link MultilingualRougeTokenizer}; corpus scores are means over
 * articles. Long articles are cut from the left to fit the context, as the harness does.
 *
 * <ul>
 *   <li>{@code xlsum}: the XL-Sum release's {@code {language}_test.jsonl} (language names such as english,
 *       chinese_simplified) under {@code <data-dir>/xlsum/}, objects with text and summary;</li>
 *   <li>{@code massivesumm_long}, {@code massivesumm_short}: {@code <data-dir>/massivesumm_long/{lang}.jsonl}
 *       and {@code <data-dir>/massivesumm_short/{lang}.jsonl}, objects with text and summary (the paper's
 *       long- and short-summary subsets of MassiveSumm), languages as ISO 639-3 or FLORES codes.</li>
 * </ul>
 */
public final class SummarizationTask implements EvalTask {
    static final int MAX_TOKENS = 64;
    private static final Map<String, String[]> PROMPTS = new HashMap<>();

    static {
        for (String[] row : ResourceTables.read("summarization_prompts.tsv")) {
            String[] prompt = {row[2], row[3]};
            PROMPTS.put(row[0], prompt);
            PROMPTS.put(row[1], prompt);
            PROMPTS.putIfAbsent(row[0].substring(0, 3), prompt);
        }
    }

    private final String name;
    private final String directory;
    private final String filePattern;

    private SummarizationTask(String name, String directory, String filePattern) {
        this.name = name;
        this.directory = directory;
        this.filePattern = filePattern;
    }

    public static SummarizationTask xlsum() {
        return new SummarizationTask("xlsum", "xlsum", "%s_test.jsonl");
    }

    public static SummarizationTask massiveSummLong() {
        return new SummarizationTask("massivesumm_long", "massivesumm_long", "%s.jsonl");
    }

    public static SummarizationTask massiveSummShort() {
        return new SummarizationTask("massivesumm_short", "massivesumm_short", "%s.jsonl");
    }

    @Override
    public String name() {
        return name;
    }

    Path file(Path dataDir, String lang) {
        return dataDir.resolve(directory).resolve(String.format(filePattern, lang));
    }

    @Override
    public List<String> languages(Path dataDir) throws IOException {
        String regex = Pattern.quote(filePattern).replace("%s", "\\E(.+)\\Q");
        return TaskFiles.languages(dataDir.resolve(directory), Pattern.compile(regex), false);
    }

    /** The paper's prompt for a language (by XL-Sum name, FLORES code or ISO 639-3 code; English otherwise). */
    static String prompt(String language, String text) {
        String[] p = PROMPTS.getOrDefault(language, PROMPTS.get("eng_Latn"));
        return p[0] + ": " + text + "\n" + p[1] + ":";
    }

    @Override
    public LanguageResult evaluate(EvalModel model, String language, TaskContext context) throws IOException {
        List<DataRecord> records = context.limited(JsonRecords.readLines(DataFiles.require(file(context.dataDir(), language), name + " file")));
        List<String> predictions = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        context.progress().begin(name + " " + language, records.size());
        for (DataRecord r : records) {
            var request = new GenerationRequest(prompt(language, r.text("text")), List.of(), MAX_TOKENS, context.sampling());
            predictions.add(PythonStrings.strip(model.generate(List.of(request)).get(0)));
            targets.add(r.text("summary"));
            context.progress().advance();
        }
        context.progress().end();
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("rougeL", 100 * new Rouge(Rouge.Type.ROUGE_L, new DefaultRougeTokenizer(false))
                .corpusMean(predictions, List.of(targets)).fmeasure());
        metrics.put("rougeL_multilingual", 100 * new Rouge(Rouge.Type.ROUGE_L, new MultilingualRougeTokenizer())
                .corpusMean(predictions, List.of(targets)).fmeasure());
        return new LanguageResult(language, records.size(), metrics);
    }
}
