package org.emma4j.model.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.emma4j.kernels.Backend;
import org.emma4j.kernels.DType;
import org.emma4j.model.eval.LlamaEvalModel;
import org.emma4j.model.eval.report.EvalResults;
import org.emma4j.model.eval.report.EvalRunner;
import org.emma4j.model.eval.report.MarkdownTable;
import org.emma4j.model.eval.report.ProgressBar;
import org.emma4j.model.eval.tasks.TaskContext;
import org.emma4j.model.eval.tasks.TaskRegistry;
import org.emma4j.model.llama.LlamaModel;
import org.emma4j.model.llama.SamplingParams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Evaluates a model on benchmarks read from local files; prints a Markdown table and writes the results as JSON. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Evaluate a Llama 3 model directory on benchmarks whose released files lie under --data-dir.",
                "Tasks: perplexity, flores200, sib200, taxi1500, xcopa, xstorycloze, xnli, belebele, arc_multilingual, mgsm,",
                "xlsum, massivesumm_long, massivesumm_short (or all). Results per task, per language and averaged."})
final class EvalCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "The model directory (with its tokenizer).")
    Path model;

    @Option(names = "--tasks", required = true, paramLabel = "LIST", description = "Comma-separated task names, or all.")
    String tasks;

    @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "Where the benchmarks' files are.")
    Path dataDir;

    @Option(names = "--languages", paramLabel = "LIST", split = ",", description = "Languages to evaluate (default: all found).")
    List<String> languages;

    @Option(names = "--limit", defaultValue = "0", description = "At most N examples per language; 0 = all (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--shots", description = "Few-shot examples per prompt (default: each task's, as in the paper).")
    Integer shots;

    @Option(names = "--seed", defaultValue = "1234", description = "Seed for few-shot choice and sampling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the results as JSON to this file.")
    Path out;

    @Option(names = "--max-length", defaultValue = "2048", description = "Longest sequence the model reads (default: ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = "--temperature", defaultValue = "0", description = "Sampling temperature for generation tasks; 0 = greedy "
            + "(default: ${DEFAULT-VALUE}; the paper sampled FLORES and XL-Sum at 0.6, top-p 0.9).")
    float temperature;

    @Option(names = "--top-p", defaultValue = "1.0", description = "Nucleus sampling mass (default: ${DEFAULT-VALUE}).")
    float topP;

    @Option(names = "--dtype", paramLabel = "f32|bf16", description = "Convert weights to this dtype on load (default: as stored).")
    String dtype;

    @Mixin
    DeviceOption device;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        var taskList = TaskRegistry.parse(tasks);
        DType weightDtype = dtype == null ? null : CliParsing.floatDType("--dtype", dtype);
        TaskContext context = new TaskContext(dataDir, limit, shots, seed, new SamplingParams(temperature, 0, topP, seed),
                new ProgressBar(stderr));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("tasks", tasks);
        settings.put("data_dir", dataDir.toString());
        settings.put("languages", languages);
        settings.put("limit", limit);
        settings.put("shots", shots);
        settings.put("seed", seed);
        settings.put("max_length", maxLength);
        settings.put("temperature", temperature);
        settings.put("top_p", topP);
        try (Backend backend = device.create(stderr);
             LlamaModel llama = LlamaModel.load(model, backend,
                     LlamaModel.Options.defaults().withWeightDtype(weightDtype).withMaxContext(maxLength));
             LlamaEvalModel engine = LlamaEvalModel.of(llama, maxLength)) {
            EvalResults results = EvalRunner.run(engine, model.toString(), taskList, languages, context, settings, stderr);
            stdout.print(MarkdownTable.results(results));
            stdout.flush();
            if (out != null) {
                results.write(out);
                stderr.println("emma4j eval: results written to " + out);
            }
        }
        return 0;
    }
}
