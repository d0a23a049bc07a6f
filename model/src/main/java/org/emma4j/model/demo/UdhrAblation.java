package org.emma4j.model.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.emma4j.kernels.Backend;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.cpu.CpuBackend;
import org.emma4j.model.data.ProgressLine;
import org.emma4j.model.data.bpe.BpeTrainer;
import org.emma4j.model.data.bpe.BpeVocabulary;
import org.emma4j.model.data.bpe.PieceCounts;
import org.emma4j.model.data.bpe.TokenizerJsonWriter;
import org.emma4j.model.data.bpe.TrainingText;
import org.emma4j.model.data.prepare.DataPreparer;
import org.emma4j.model.data.prepare.PrepareOptions;
import org.emma4j.model.eval.LlamaEvalModel;
import org.emma4j.model.eval.report.ComparisonChart;
import org.emma4j.model.eval.report.EvalResults;
import org.emma4j.model.eval.report.EvalRunner;
import org.emma4j.model.eval.report.MarkdownTable;
import org.emma4j.model.eval.report.ProgressBar;
import org.emma4j.model.eval.tasks.TaskContext;
import org.emma4j.model.eval.tasks.TaskRegistry;
import org.emma4j.model.llama.LlamaModel;
import org.emma4j.model.llama.SamplingParams;
import org.emma4j.model.train.TrainConfig;
import org.emma4j.model.train.TrainConfigReader;
import org.emma4j.model.train.Trainer;

/**
 * The EMMA-500 ablation in miniature on the bundled UDHR corpus: train a BPE tokenizer, pre-train a small Llama 3-shaped
 * model on monolingual text of a few languages, continue its pre-training twice with the same token budget — on the
 * monolingual mix and on a mix with English-X pairs — and evaluate both on the held-out articles (per-language
 * perplexity; chrF++ of 3-shot translation into and out of English), written as results JSON, a table and a chart.
 */
public final class UdhrAblation {
    private static final int STAGES = 8;
    private static final List<Integer> FEW_SHOT_ARTICLES = List.of(1, 2, 3);

    /**
     * @param corpus  the UDHR corpus directory (data/udhr/corpus: mono/, bilingual/, languages.tsv)
     * @param out     the run directory to create
     * @param threads CPU threads (0: all cores): the tokenizer, data preparation, and the CPU backend when the demo creates one
     * @param force   replace a non-empty {@code out}
     */
    public record Options(Path corpus, Path out, DemoPlan plan, long seed, int threads, boolean force) {
        public Options {
            if (threads < 0) {
                throw new IllegalArgumentException("threads must be >= 0 (0 = all cores), found " + threads);
            }
        }
    }

    /** What the demo wrote and measured. */
    public record Result(Path out, EvalResults mono, EvalResults bilingual, String table, Path chart, Map<String, Double> stageSeconds) {
    }

    private final Options options;
    private final Backend backend;
    private final PrintStream log;
    private final long start = System.nanoTime();
    private final Map<String, Double> stageSeconds = new LinkedHashMap<>();
    private int stage;
    private long stageStart;
    private String stageName;

    private UdhrAblation(Options options, Backend backend, PrintStream log) {
        this.options = options;
        this.backend = backend;
        this.log = log;
    }

    /** {@link #run(Options, Backend, PrintStream)} on a CPU backend of {@code options.threads()} threads. */
    public static Result run(Options options, PrintStream log) throws IOException {
        int threads = options.threads() == 0 ? Runtime.getRuntime().availableProcessors() : options.threads();
        try (Backend cpu = new CpuBackend(threads)) {
            return run(options, cpu, log);
        }
    }

    /**
     * Runs the whole demo, training and evaluating on {@code backend} (the caller closes it); progress goes to
     * {@code log} (stage headers, the trainer's step lines, progress bars on stderr).
     */
    public static Result run(Options options, Backend backend, PrintStream log) throws IOException {
        System.setProperty("java.awt.headless", "true");
        return new UdhrAblation(options, backend, log).run();
    }

    private Result run() throws IOException {
        DemoPlan plan = options.plan();
        Path out = options.out().toAbsolutePath().normalize();
        Path corpus = options.corpus().toAbsolutePath().normalize();
        createRunDirectory(out, options.force());
        int threads = options.threads() == 0 ? Runtime.getRuntime().availableProcessors() : options.threads();

        begin("read the UDHR corpus (" + String.join(", ", plan.languages()) + ")");
        Set<String> languages = new LinkedHashSet<>(plan.languages());
        UdhrArticles train = UdhrArticles.read(corpus.resolve("mono/train.jsonl.zst"), languages);
        UdhrArticles heldout = UdhrArticles.read(corpus.resolve("mono/heldout.jsonl.zst"), languages);
        EvalDataWriter.Written evalData = EvalDataWriter.write(heldout, train, FEW_SHOT_ARTICLES, out.resolve("eval-data"));
        log.printf(Locale.ROOT, "eval data: %d held-out articles for perplexity, %d aligned held-out paragraphs to translate "
                + "(%d used per language), %d few-shot paragraphs%n", evalData.perplexityDocuments(), evalData.devtestLines(),
                Math.min(plan.translationLimit(), evalData.devtestLines()), evalData.devLines());

        begin("train a " + plan.vocabSize() + "-id BPE tokenizer");
        Path tokenizerDir = Files.createDirectories(out.resolve("tokenizer"));
        Path text = writeTokenizerText(train, out.resolve("tokenizer-text.jsonl"));
        BpeTrainer.Options bpe = new BpeTrainer.Options(plan.vocabSize(), 2, 0);
        PieceCounts counts = TrainingText.countPieces(List.of(text), List.of("text"), threads, null);
        BpeVocabulary vocab = BpeTrainer.train(counts, bpe,
                new ProgressLine(System.err, "demo: merging", plan.vocabSize() - bpe.specialTokenCount(), " tokens"));
        TokenizerJsonWriter.write(vocab, tokenizerDir.resolve("tokenizer.json"));
        log.printf("tokenizer: %d ids (%d merges) -> %s%n", vocab.size(), vocab.merges().size(), tokenizerDir.resolve("tokenizer.json"));

        begin("prepare the monolingual and the bilingual mixes");
        Path monoShards = prepare("mix-mono.yaml", DemoConfigs.monoMix(corpus, plan, options.seed()), out, tokenizerDir, threads);
        Path biShards = prepare("mix-bilingual.yaml", DemoConfigs.bilingualMix(corpus, plan, options.seed()), out, tokenizerDir, threads);

        begin("pre-train a random " + plan.shape() + " model (" + plan.pretrainSteps() + " steps)");
        Path base = train("pretrain", DemoConfigs.train(plan, vocab.size(), tokenizerDir, null, monoShards, out.resolve("pretrain"),
                plan.pretrainSteps(), plan.pretrainLr(), options.seed(), options.threads()), out);

        begin("continue pre-training on the monolingual mix (" + plan.continueSteps() + " steps)");
        Path monoModel = train("continue-mono", DemoConfigs.train(plan, vocab.size(), tokenizerDir, base, monoShards,
                out.resolve("continue-mono"), plan.continueSteps(), plan.continueLr(), options.seed() + 1, options.threads()), out);

        begin("continue pre-training on the bilingual mix (" + plan.continueSteps() + " steps, same token budget)");
        Path biModel = train("continue-bilingual", DemoConfigs.train(plan, vocab.size(), tokenizerDir, base, biShards,
                out.resolve("continue-bilingual"), plan.continueSteps(), plan.continueLr(), options.seed() + 1, options.threads()), out);

        begin("evaluate both on the held-out articles (perplexity; translation, 3-shot)");
        EvalResults mono = evaluate(monoModel, "continue-mono", out);
        EvalResults bi = evaluate(biModel, "continue-bilingual", out);

        begin("compare");
        String table = DemoReport.table(mono, bi);
        Files.writeString(out.resolve("comparison.md"), "# emma4j demo: monolingual vs bilingual continued pre-training\n\n" + table
                + "\n## Every metric\n\n" + MarkdownTable.comparison(mono, bi, "mono", "bilingual"), StandardCharsets.UTF_8);
        Path chart = out.resolve("comparison.png");
        ComparisonChart.write(DemoReport.charted(mono), DemoReport.charted(bi), "mono", "bilingual", chart);
        end();
        writeSummary(out.resolve("results.json"), mono, bi);
        log.println();
        log.print(table);
        log.printf(Locale.ROOT, "%nwrote %s (table), %s (chart), %s (both runs' results)%n", out.resolve("comparison.md"), chart,
                out.resolve("results.json"));
        log.printf(Locale.ROOT, "demo: done in %.1f s%n", (System.nanoTime() - start) / 1e9);
        log.flush();
        return new Result(out, mono, bi, table, chart, Map.copyOf(stageSeconds));
    }

    private void begin(String name) {
        end();
        stage++;
        stageName = name;
        stageStart = System.nanoTime();
        log.printf(Locale.ROOT, "%n== demo [%d/%d] %s  (%.0f s elapsed) ==%n", stage, STAGES, name, (System.nanoTime() - start) / 1e9);
        log.flush();
    }

    private void end() {
        if (stageName != null) {
            stageSeconds.put(stageName, (System.nanoTime() - stageStart) / 1e9);
            stageName = null;
        }
    }

    private static void createRunDirectory(Path out, boolean force) throws IOException {
        if (Files.isDirectory(out)) {
            boolean empty;
            try (Stream<Path> s = Files.list(out)) {
                empty = s.findAny().isEmpty();
            }
            if (!empty) {
                if (!force) {
                    throw new IllegalArgumentException("the demo's run directory " + out + " is not empty; use --force to replace it, "
                            + "or --out another directory");
                }
                try (Stream<Path> s = Files.walk(out)) {
                    for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
        } else if (Files.exists(out)) {
            throw new IllegalArgumentException("the demo's run directory " + out + " exists and is not a directory");
        }
        Files.createDirectories(out);
    }

    private static Path writeTokenizerText(UdhrArticles train, Path file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        StringBuilder sb = new StringBuilder();
        for (var articles : train.byLanguage().values()) {
            for (String t : articles.values()) {
                sb.append(json.writeValueAsString(Map.of("text", t))).append('\n');
            }
        }
        Files.writeString(file, sb, StandardCharsets.UTF_8);
        return file;
    }

    private Path prepare(String configName, String yaml, Path out, Path tokenizer, int threads) throws IOException {
        Path config = out.resolve(configName);
        Files.writeString(config, yaml, StandardCharsets.UTF_8);
        Path shards = out.resolve("data").resolve(configName.replace("mix-", "").replace(".yaml", ""));
        var index = DataPreparer.run(new PrepareOptions(config, tokenizer, shards, false, threads, false, System.err));
        index.splits().forEach((split, s) -> log.printf(Locale.ROOT, "%s %s: %d sequences of %d tokens (%d documents)%n", configName,
                split, s.sequences(), index.sequenceLength(), s.documents()));
        return shards;
    }

    /** Trains as {@code yaml} says (also saved as {@code <name>.yaml}); returns the final checkpoint directory. */
    private Path train(String name, String yaml, Path out) throws IOException {
        Path file = out.resolve("train-" + name + ".yaml");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        TrainConfig config = TrainConfigReader.parse(yaml, file.toString(), List.of());
        try (Trainer trainer = Trainer.start(config, backend, log)) {
            Trainer.Summary summary = trainer.run(Long.MAX_VALUE);
            if (!summary.finished() || summary.lastCheckpoint() == null) {
                throw new IllegalStateException("training run " + name + " stopped at step " + summary.step() + " of " + summary.maxSteps()
                        + " without a final checkpoint");
            }
            return summary.lastCheckpoint();
        }
    }

    private EvalResults evaluate(Path model, String name, Path out) throws IOException {
        DemoPlan plan = options.plan();
        PrintWriter err = new PrintWriter(System.err, true);
        Path dataDir = out.resolve("eval-data");
        TaskContext context = new TaskContext(dataDir, plan.translationLimit(), 3, options.seed(), SamplingParams.greedy(),
                new ProgressBar(err));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("tasks", "perplexity,flores200");
        settings.put("data_dir", dataDir.toString());
        settings.put("limit", plan.translationLimit());
        settings.put("shots", 3);
        settings.put("seed", options.seed());
        settings.put("max_length", plan.evalMaxLength());
        settings.put("max_new_tokens", plan.maxNewTokens());
        settings.put("temperature", 0.0);
        log.println("evaluating " + name + " (" + model + ")");
        try (LlamaModel llama = LlamaModel.load(model, backend, LlamaModel.Options.defaults().withMaxContext(plan.evalMaxLength()));
             // The config's end-of-sequence ids are Llama 3's (beyond this small vocabulary): stop at the tokenizer's own.
             LlamaEvalModel engine = new LlamaEvalModel(llama.inference(), llama.tokenizer(), Set.of(llama.tokenizer().eosId()), DType.F32,
                     Math.min(plan.evalMaxLength(), llama.inference().maxPositions()))) {
            EvalResults results = EvalRunner.run(new CappedGeneration(engine, plan.maxNewTokens()), name,
                    TaskRegistry.parse("perplexity,flores200"), new ArrayList<>(), context, settings, err);
            results.write(out.resolve("results-" + name.replace("continue-", "") + ".json"));
            return results;
        }
    }

    private void writeSummary(Path file, EvalResults mono, EvalResults bi) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("format", "emma4j-demo-results/1");
        root.set("plan", json.valueToTree(options.plan()));
        root.put("seed", options.seed());
        root.set("stage_seconds", json.valueToTree(stageSeconds));
        ObjectNode runs = root.putObject("runs");
        runs.set("mono", json.readTree(mono.toJson()));
        runs.set("bilingual", json.readTree(bi.toJson()));
        Files.writeString(file, json.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n", StandardCharsets.UTF_8);
    }
}
