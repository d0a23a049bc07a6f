package org.emma4j.model.eval.tasks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.emma4j.model.eval.EvalModel;
import org.emma4j.model.eval.LoglikelihoodRequest;
import org.emma4j.model.eval.LoglikelihoodResult;
import org.emma4j.model.eval.data.DataFiles;
import org.emma4j.model.eval.data.DataFormatException;
import org.emma4j.model.eval.data.DataRecord;
import org.emma4j.model.eval.data.DelimitedRecords;
import org.emma4j.model.eval.metrics.ChoiceScores;

/**
 * SIB-200 and Taxi1500 topic classification, 3-shot by default, scored two ways:
 *
 * <ul>
 *   <li>{@code acc_next_token}, the paper's way: the logits after the whole prompt (which ends in a newline)
 *       are compared at each label's token id, the last sub-token of " label" (the scripts'
 *       {@code tokenizer(" label").input_ids[-1]}); the highest wins, ties going to the label that sorts last
 *       (Python's {@code sorted(..., reverse=True)} over (logit, label) pairs);</li>
 *   <li>{@code acc_loglikelihood}: each label's log-likelihood as a continuation " label" of the prompt up to
 *       "is" (the prompt without its final newline, so the answer continues the line as in the examples); the
 *       first highest wins.</li>
 * </ul>
 *
 * Few-shot examples are drawn without replacement from the language's training file, separately for each
 * test example ({@link FewShotSampler}). The TSV files are read with quotes honoured, as pandas does.
 */
public final class TopicClassificationTask implements EvalTask {
    private final TopicDataset dataset;

    public TopicClassificationTask(TopicDataset dataset) {
        this.dataset = dataset;
    }

    @Override
    public String name() {
        return dataset.name();
    }

    @Override
    public List<String> languages(Path dataDir) throws IOException {
        return TaskFiles.languages(dataDir.resolve(dataset.directory()), Pattern.compile("(.+)"), true).stream()
                .filter(l -> Files.isRegularFile(dataset.test(dataDir, l))).toList();
    }

    /** {text, category} rows of a split file. */
    List<String[]> read(Path file, String what) throws IOException {
        List<DataRecord> rows = DelimitedRecords.read(DataFiles.require(file, what), '\t', true,
                dataset.hasHeaderLine() ? null : List.of("index_id", "category", "text"));
        List<String[]> out = new ArrayList<>();
        for (DataRecord r : rows) {
            String category = r.text("category");
            if (!dataset.labels().contains(category)) {
                throw new DataFormatException(r.location(), "category '" + category + "' is not one of " + dataset.labels());
            }
            out.add(new String[] {r.text("text"), category});
        }
        return out;
    }

    /** The prompt for test example {@code index}: few-shot examples drawn from {@code train}. */
    String prompt(List<String[]> train, String text, int index, int shots, long seed) {
        List<String[]> examples = new ArrayList<>();
        for (int i : FewShotSampler.withoutReplacement(seed, index, shots, train.size(), -1)) {
            examples.add(train.get(i));
        }
        return dataset.prompt(examples, text);
    }

    @Override
    public LanguageResult evaluate(EvalModel model, String language, TaskContext context) throws IOException {
        List<String[]> train = read(dataset.train(context.dataDir(), language), dataset.name() + " training file (few-shot examples)");
        List<String[]> test = context.limited(read(dataset.test(context.dataDir(), language), dataset.name() + " test file"));
        int shots = context.shotsOr(3);
        List<String> labels = dataset.labels();
        int[] labelTokens = new int[labels.size()];
        for (int i = 0; i < labels.size(); i++) {
            labelTokens[i] = model.lastTokenId(" " + labels.get(i));
        }
        int nextTokenCorrect = 0;
        int loglikCorrect = 0;
        context.progress().begin(name() + " " + language, test.size());
        for (int e = 0; e < test.size(); e++) {
            String prompt = prompt(train, test.get(e)[0], e, shots, context.seed());
            int gold = labels.indexOf(test.get(e)[1]);
            float[] logits = model.nextTokenLogits(prompt);
            if (nextTokenPrediction(logits, labelTokens, labels) == gold) {
                nextTokenCorrect++;
            }
            String stem = prompt.substring(0, prompt.length() - 1);
            List<LoglikelihoodRequest> requests = labels.stream().map(l -> new LoglikelihoodRequest(stem, " " + l)).toList();
            double[] lls = model.loglikelihood(requests).stream().mapToDouble(LoglikelihoodResult::logLikelihood).toArray();
            if (ChoiceScores.argmax(lls) == gold) {
                loglikCorrect++;
            }
            context.progress().advance();
        }
        context.progress().end();
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("acc_next_token", (double) nextTokenCorrect / test.size());
        metrics.put("acc_loglikelihood", (double) loglikCorrect / test.size());
        return new LanguageResult(language, test.size(), metrics);
    }

    /** The label whose token has the highest logit; on ties the label that sorts last, as the scripts' sort does. */
    static int nextTokenPrediction(float[] logits, int[] labelTokens, List<String> labels) {
        int best = 0;
        for (int i = 1; i < labelTokens.length; i++) {
            float a = logits[labelTokens[i]];
            float b = logits[labelTokens[best]];
            if (a > b || (a == b && labels.get(i).compareTo(labels.get(best)) > 0)) {
                best = i;
            }
        }
        return best;
    }
}
