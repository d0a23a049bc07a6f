package org.emma4j.model.eval.tasks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.emma4j.model.eval.EvalModel;
import org.emma4j.model.eval.LoglikelihoodRequest;
import org.emma4j.model.eval.LoglikelihoodResult;
import org.emma4j.model.eval.metrics.ChoiceScores;

/**
 * The harness' multiple_choice output type: every choice is scored by log-likelihood after the question's
 * context and the question gets acc and acc_norm ({@link ChoiceScores}); the language's scores are their
 * means. Zero-shot by default, as the harness runs these tasks; with --shots K, K other solved questions of
 * the same file (chosen by {@link FewShotSampler}) come first, each followed by a blank line (the harness'
 * fewshot_delimiter "\n\n").
 */
public abstract class MultipleChoiceTask implements EvalTask {

    /** The questions of one language, in file order. */
    protected abstract List<McQuestion> questions(Path dataDir, String language) throws IOException;

    /** The prompt of question {@code index}, with its few-shot examples. */
    static String prompt(List<McQuestion> all, int index, int shots, long seed) {
        if (shots == 0) {
            return all.get(index).context();
        }
        StringBuilder sb = new StringBuilder();
        for (int i : FewShotSampler.withoutReplacement(seed, index, shots, all.size(), index)) {
            sb.append(all.get(i).solved()).append("\n\n");
        }
        return sb.append(all.get(index).context()).toString();
    }

    @Override
    public LanguageResult evaluate(EvalModel model, String language, TaskContext context) throws IOException {
        List<McQuestion> all = questions(context.dataDir(), language);
        List<McQuestion> scored = context.limited(all);
        int shots = context.shotsOr(0);
        double acc = 0;
        double accNorm = 0;
        context.progress().begin(name() + " " + language, scored.size());
        for (int q = 0; q < scored.size(); q++) {
            McQuestion question = scored.get(q);
            String prompt = prompt(all, q, shots, context.seed());
            List<LoglikelihoodRequest> requests = new ArrayList<>();
            for (String choice : question.choices()) {
                requests.add(new LoglikelihoodRequest(prompt, question.delimiter() + choice));
            }
            List<LoglikelihoodResult> results = model.loglikelihood(requests);
            double[] lls = results.stream().mapToDouble(LoglikelihoodResult::logLikelihood).toArray();
            ChoiceScores.Outcome o = ChoiceScores.score(lls, question.choices().toArray(String[]::new), question.gold());
            acc += o.correct() ? 1 : 0;
            accNorm += o.normalizedCorrect() ? 1 : 0;
            context.progress().advance();
        }
        context.progress().end();
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("acc", acc / scored.size());
        metrics.put("acc_norm", accNorm / scored.size());
        return new LanguageResult(language, scored.size(), metrics);
    }
}
