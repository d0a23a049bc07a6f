package org.emma4j.model.eval.tasks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.emma4j.model.eval.EvalModel;
import org.emma4j.model.eval.RollingResult;
import org.emma4j.model.eval.data.DataFiles;
import org.emma4j.model.eval.data.DataRecord;
import org.emma4j.model.eval.data.JsonRecords;
import org.emma4j.model.eval.data.MissingDataException;
import org.emma4j.model.eval.metrics.PerplexityStats;

/**
 * Perplexity of held-out text per language: each document's rolling log-likelihood (BOS first, windows of
 * the model's maximum length, {@link org.emma4j.model.eval.RollingWindows}), aggregated over the corpus by
 * {@link PerplexityStats} into token, byte and word perplexity and bits per byte.
 *
 * <p>Files under {@code <data-dir>/perplexity/}: {@code {lang}.jsonl} (one object per line; its "text" field
 * is a document) or {@code {lang}.txt} (each non-blank line is a document).
 */
public final class PerplexityTask implements EvalTask {

    @Override
    public String name() {
        return "perplexity";
    }

    @Override
    public List<String> languages(Path dataDir) throws IOException {
        Path dir = dataDir.resolve("perplexity");
        TreeSet<String> langs = new TreeSet<>(TaskFiles.languages(dir, Pattern.compile("(.+)\\.jsonl"), false));
        langs.addAll(TaskFiles.languages(dir, Pattern.compile("(.+)\\.txt"), false));
        return List.copyOf(langs);
    }

    static List<String> documents(Path dataDir, String language) throws IOException {
        Path jsonl = dataDir.resolve("perplexity").resolve(language + ".jsonl");
        Path txt = dataDir.resolve("perplexity").resolve(language + ".txt");
        List<String> docs = new ArrayList<>();
        if (Files.isRegularFile(jsonl)) {
            for (DataRecord r : JsonRecords.readLines(jsonl)) {
                docs.add(r.text("text"));
            }
        } else if (Files.isRegularFile(txt)) {
            DataFiles.lines(txt).stream().filter(l -> !l.isBlank()).forEach(docs::add);
        } else {
            throw new MissingDataException("perplexity text for '" + language + "' (or " + txt.getFileName() + ")", jsonl);
        }
        return docs;
    }

    @Override
    public LanguageResult evaluate(EvalModel model, String language, TaskContext context) throws IOException {
        List<String> docs = context.limited(documents(context.dataDir(), language));
        PerplexityStats stats = new PerplexityStats();
        context.progress().begin(name() + " " + language, docs.size());
        for (String doc : docs) {
            RollingResult r = model.rollingLoglikelihood(List.of(doc)).get(0);
            stats.add(r.logLikelihood(), r.tokens(), doc);
            context.progress().advance();
        }
        context.progress().end();
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("token_perplexity", stats.tokenPerplexity());
        metrics.put("byte_perplexity", stats.bytePerplexity());
        metrics.put("word_perplexity", stats.wordPerplexity());
        metrics.put("bits_per_byte", stats.bitsPerByte());
        return new LanguageResult(language, docs.size(), metrics);
    }
}
