package org.emma4j.model.eval.tasks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.emma4j.model.eval.EvalModel;
import org.emma4j.model.eval.GenerationRequest;
import org.emma4j.model.eval.data.DataFiles;
import org.emma4j.model.eval.data.DataRecord;
import org.emma4j.model.eval.data.DelimitedRecords;
import org.emma4j.model.eval.metrics.NumberAnswer;

/**
 * MGSM (Shi et al. 2022), direct answers, as lm-evaluation-harness' mgsm_direct_{lang}: the prompt is
 * "{Question word} question\n{Answer word}" in the language's words (lm_eval/tasks/mgsm/utils.py), greedy
 * generation until the question word, "&lt;/s&gt;" or "&lt;|im_end|&gt;" (at most {@value #MAX_TOKENS} tokens),
 * scored by {@link NumberAnswer} exact match (the last number of the output, compared numerically).
 * Zero-shot by default; with --shots K, K other questions of the file come first as "question\nanswer-word
 * number" separated by blank lines.
 *
 * <p>Files: the MGSM release's {@code mgsm_{lang}.tsv} under {@code <data-dir>/mgsm/}, tab-separated without a
 * header: question, answer number.
 */
public final class MgsmTask implements EvalTask {
    static final int MAX_TOKENS = 256;

    /** The harness' {QUESTION, DIRECT} words. */
    static final Map<String, String[]> WORDS = Map.ofEntries(
            Map.entry("bn", new String[] {"প্রশ্ন:", "Answer:"}),
            Map.entry("de", new String[] {"Frage:", "Antwort:"}),
            Map.entry("en", new String[] {"Question:", "Answer:"}),
            Map.entry("es", new String[] {"Pregunta:", "Respuesta:"}),
            Map.entry("fr", new String[] {"Question :", "Réponse :"}),
            Map.entry("ru", new String[] {"Задача:", "Answer:"}),
            Map.entry("sw", new String[] {"Swali:", "Answer:"}),
            Map.entry("te", new String[] {"ప్రశ్న:", "Answer:"}),
            Map.entry("th", new String[] {"โจทย์:", "Answer:"}),
            Map.entry("ja", new String[] {"問題：", "Answer:"}),
            Map.entry("zh", new String[] {"问题：", "Answer:"}));

    @Override
    public String name() {
        return "mgsm";
    }

    static Path file(Path dataDir, String lang) {
        return dataDir.resolve("mgsm").resolve("mgsm_" + lang + ".tsv");
    }

    @Override
    public List<String> languages(Path dataDir) throws IOException {
        return TaskFiles.languages(dataDir.resolve("mgsm"), Pattern.compile("mgsm_(.+)\\.tsv"), false).stream()
                .filter(WORDS::containsKey).toList();
    }

    static String question(String[] words, String question) {
        return words[0] + " " + question + "\n" + words[1];
    }

    @Override
    public LanguageResult evaluate(EvalModel model, String language, TaskContext context) throws IOException {
        String[] words = WORDS.get(language);
        if (words == null) {
            throw new IllegalArgumentException("mgsm has no prompt words for language '" + language + "'; known: "
                    + new java.util.TreeSet<>(WORDS.keySet()));
        }
        List<DataRecord> rows = DelimitedRecords.read(DataFiles.require(file(context.dataDir(), language), "MGSM file"), '\t', false,
                List.of("question", "answer_number"));
        List<String[]> all = new ArrayList<>();
        for (DataRecord r : rows) {
            NumberAnswer.parse(r.text("answer_number").strip()).orElseThrow(() -> new org.emma4j.model.eval.data.DataFormatException(
                    r.location(), "answer '" + safe(r) + "' is not a number"));
            all.add(new String[] {r.text("question"), r.text("answer_number").strip()});
        }
        List<String[]> scored = context.limited(all);
        int shots = context.shotsOr(0);
        int correct = 0;
        context.progress().begin(name() + " " + language, scored.size());
        for (int i = 0; i < scored.size(); i++) {
            StringBuilder prompt = new StringBuilder();
            for (int j : FewShotSampler.withoutReplacement(context.seed(), i, shots, all.size(), i)) {
                prompt.append(question(words, all.get(j)[0])).append(' ').append(all.get(j)[1]).append("\n\n");
            }
            prompt.append(question(words, scored.get(i)[0]));
            var request = new GenerationRequest(prompt.toString(), List.of(words[0], "</s>", "<|im_end|>"), MAX_TOKENS,
                    org.emma4j.model.llama.SamplingParams.greedy());
            if (NumberAnswer.matches(model.generate(List.of(request)).get(0), scored.get(i)[1])) {
                correct++;
            }
            context.progress().advance();
        }
        context.progress().end();
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("exact_match", (double) correct / scored.size());
        return new LanguageResult(language, scored.size(), metrics);
    }

    private static String safe(DataRecord r) {
        try {
            return r.text("answer_number");
        } catch (IOException e) {
            return "?";
        }
    }
}
