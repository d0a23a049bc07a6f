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
import org.emma4j.model.eval.data.DataFormatException;
import org.emma4j.model.eval.metrics.Bleu;
import org.emma4j.model.eval.metrics.Chrf;
import org.emma4j.model.eval.metrics.PythonStrings;

/**
 * FLORES-200 translation (NLLB Team 2022) between English and each language, in both directions, with the
 * EMMA-500 paper's prompt (evaluation/Flores-200/eval_flores200.py): k solved pairs "[Src]: s\n[Tgt]: t\n"
 * drawn with replacement from the dev split, then "Translate the following sentence from Src to Tgt\n[Src]:
 * s\n[Tgt]:", languages given by their English names. The model generates until a newline (at most
 * {@value #MAX_TOKENS} tokens); the stripped output is scored against the devtest references with corpus
 * chrF++ and BLEU (sacreBLEU defaults, 13a tokens; the paper's BLEU used sacreBLEU's flores200 SentencePiece
 * tokenizer, which emma4j does not have). 3-shot by default.
 *
 * <p>Files: the FLORES-200 release's {@code flores200_dataset/devtest/{lang}.devtest} and
 * {@code flores200_dataset/dev/{lang}.dev} under the data directory, one sentence per line, for each language
 * and for eng_Latn. Metrics per language: eng-x_chrf++, eng-x_bleu, x-eng_chrf++, x-eng_bleu.
 */
public final class FloresTask implements EvalTask {
    static final String ENGLISH = "eng_Latn";
    static final int MAX_TOKENS = 256;
    private static final Map<String, String> NAMES = new HashMap<>();

    static {
        for (String[] row : ResourceTables.read("flores200_languages.tsv")) {
            NAMES.put(row[0], row[1]);
        }
    }

    @Override
    public String name() {
        return "flores200";
    }

    /** The English name the prompt uses for a FLORES code (the code itself for codes not in FLORES-200). */
    static String languageName(String code) {
        return NAMES.getOrDefault(code, code);
    }

    static Path devtest(Path dataDir, String lang) {
        return dataDir.resolve("flores200_dataset").resolve("devtest").resolve(lang + ".devtest");
    }

    static Path dev(Path dataDir, String lang) {
        return dataDir.resolve("flores200_dataset").resolve("dev").resolve(lang + ".dev");
    }

    @Override
    public List<String> languages(Path dataDir) throws IOException {
        return TaskFiles.languages(dataDir.resolve("flores200_dataset").resolve("devtest"), Pattern.compile("(.+)\\.devtest"), false)
                .stream().filter(l -> !l.equals(ENGLISH)).toList();
    }

    /** Stripped lines of a split file (the scripts' {@code line.strip()}). */
    static List<String> sentences(Path file, String what) throws IOException {
        return DataFiles.lines(DataFiles.require(file, what)).stream().map(PythonStrings::strip).toList();
    }

    /** One solved pair of the few-shot prefix. */
    static String example(String src, String tgt, String s, String t) {
        return "[" + src + "]: " + s + "\n[" + tgt + "]: " + t + "\n";
    }

    /** The question. */
    static String instruction(String src, String tgt, String s) {
        return "Translate the following sentence from " + src + " to " + tgt + "\n[" + src + "]: " + s + "\n[" + tgt + "]:";
    }

    @Override
    public LanguageResult evaluate(EvalModel model, String language, TaskContext context) throws IOException {
        if (language.equals(ENGLISH)) {
            throw new IllegalArgumentException("flores200 translates between English and other languages; " + ENGLISH + " is the pivot");
        }
        Path dir = context.dataDir();
        Map<String, List<String>> test = Map.of(ENGLISH, sentences(devtest(dir, ENGLISH), "FLORES-200 devtest file"),
                language, sentences(devtest(dir, language), "FLORES-200 devtest file"));
        Map<String, List<String>> dev = Map.of(ENGLISH, sentences(dev(dir, ENGLISH), "FLORES-200 dev file (few-shot examples)"),
                language, sentences(dev(dir, language), "FLORES-200 dev file (few-shot examples)"));
        checkAligned(devtest(dir, ENGLISH), devtest(dir, language), test.get(ENGLISH), test.get(language));
        checkAligned(dev(dir, ENGLISH), dev(dir, language), dev.get(ENGLISH), dev.get(language));
        int n = context.limited(test.get(language)).size();
        Map<String, Double> metrics = new LinkedHashMap<>();
        context.progress().begin(name() + " " + language, 2 * n);
        translate(model, ENGLISH, language, test, dev, n, context, "eng-x", metrics);
        translate(model, language, ENGLISH, test, dev, n, context, "x-eng", metrics);
        context.progress().end();
        return new LanguageResult(language, n, metrics);
    }

    private void translate(EvalModel model, String src, String tgt, Map<String, List<String>> test, Map<String, List<String>> dev, int n,
                           TaskContext context, String direction, Map<String, Double> metrics) {
        int shots = context.shotsOr(3);
        String srcName = languageName(src);
        String tgtName = languageName(tgt);
        List<String> hyps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String prompt = prompt(dev.get(src), dev.get(tgt), srcName, tgtName, test.get(src).get(i), i, shots, context.seed());
            String out = model.generate(List.of(new GenerationRequest(prompt, List.of("\n"), MAX_TOKENS, context.sampling()))).get(0);
            hyps.add(PythonStrings.strip(out));
            context.progress().advance();
        }
        List<List<String>> refs = List.of(test.get(tgt).subList(0, n));
        metrics.put(direction + "_chrf++", Chrf.corpus(hyps, refs, Chrf.Options.chrfPlusPlus()));
        metrics.put(direction + "_bleu", Bleu.corpus(hyps, refs, Bleu.Options.sacreBleuDefault()).score());
    }

    /** The prompt for devtest sentence {@code index}. */
    static String prompt(List<String> devSrc, List<String> devTgt, String srcName, String tgtName, String sentence, int index, int shots,
                         long seed) {
        StringBuilder sb = new StringBuilder();
        for (int j : FewShotSampler.withReplacement(seed, index, shots, devSrc.size())) {
            sb.append(example(srcName, tgtName, devSrc.get(j), devTgt.get(j)));
        }
        return sb.append(instruction(srcName, tgtName, sentence)).toString();
    }

    private static void checkAligned(Path a, Path b, List<String> la, List<String> lb) throws DataFormatException {
        if (la.size() != lb.size()) {
            throw new DataFormatException(b.toString(), "has " + lb.size() + " lines but " + a + " has " + la.size()
                    + "; FLORES files of one split must be line-aligned");
        }
    }
}
