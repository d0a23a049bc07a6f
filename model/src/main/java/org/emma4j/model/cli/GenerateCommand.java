package org.emma4j.model.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.emma4j.kernels.Backend;
import org.emma4j.kernels.DType;
import org.emma4j.model.llama.Generator;
import org.emma4j.model.llama.LlamaModel;
import org.emma4j.model.llama.SamplingParams;
import org.emma4j.model.tokenizer.SpecialTokenHandling;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Generates text (or ids) from a Llama model directory, streaming tokens as they come. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Generate a continuation with a Llama 3 model directory (Hugging Face layout).",
                "Text is streamed to stdout as it is generated; speed is reported on stderr."})
final class GenerateCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "The model directory.")
    Path model;

    static final class Prompt {
        @Option(names = "--prompt", paramLabel = "TEXT", description = "Prompt text (BOS is added; needs the tokenizer files).")
        String text;

        @Option(names = "--prompt-ids", paramLabel = "IDS", split = ",", description = "Prompt token ids, e.g. 128000,791,6864 (used as given).")
        int[] ids;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Prompt prompt;

    @Option(names = "--max-tokens", defaultValue = "64", description = "Most tokens to generate (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--temperature", defaultValue = "0", description = "0 = greedy (default: ${DEFAULT-VALUE}).")
    float temperature;

    @Option(names = "--top-p", defaultValue = "1.0", description = "Nucleus sampling mass (default: ${DEFAULT-VALUE}).")
    float topP;

    @Option(names = "--top-k", defaultValue = "0", description = "Keep the k most likely tokens; 0 = all (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--seed", defaultValue = "0", description = "Sampling seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--stop", paramLabel = "TEXT", description = "Stop when this text appears (repeatable).")
    List<String> stop = new ArrayList<>();

    @Option(names = "--dtype", paramLabel = "f32|bf16", description = "Convert weights to this dtype on load (default: as stored).")
    String dtype;

    @Option(names = "--max-context", defaultValue = "4096", description = "Longest sequence, prompt included (default: ${DEFAULT-VALUE}).")
    int maxContext;

    @Mixin
    DeviceOption device;

    @Option(names = "--json", description = "Print one JSON object with prompt_ids, generated_ids and text instead of streaming.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DType weightDtype = dtype == null ? null : CliParsing.floatDType("--dtype", dtype);
        var sampling = new SamplingParams(temperature, topK, topP, seed);
        try (Backend backend = device.create(err);
             LlamaModel llama = LlamaModel.load(model, backend,
                     LlamaModel.Options.defaults().withWeightDtype(weightDtype).withMaxContext(maxContext))) {
            int[] ids;
            if (prompt.ids != null) {
                ids = prompt.ids;
            } else {
                if (llama.tokenizer() == null) {
                    throw new IllegalArgumentException(model + " has no tokenizer.json or tokenizer.model; use --prompt-ids");
                }
                ids = llama.tokenizer().encodeWithBos(prompt.text, SpecialTokenHandling.PARSE);
            }
            Generator.TokenListener listener = json ? (id, text) -> { } : (id, text) -> {
                if (llama.tokenizer() == null) {
                    out.print(id + " ");
                } else {
                    out.print(text);
                }
                out.flush();
            };
            Generator.Result r = llama.generate(ids, maxTokens, sampling, stop, listener);
            if (json) {
                ObjectMapper mapper = new ObjectMapper();
                ObjectNode node = mapper.createObjectNode();
                node.set("prompt_ids", mapper.valueToTree(r.promptIds()));
                node.set("generated_ids", mapper.valueToTree(r.generatedIds()));
                node.put("text", r.text());
                node.put("stop_reason", r.stopReason().name().toLowerCase(java.util.Locale.ROOT));
                out.println(mapper.writeValueAsString(node));
            } else {
                out.println();
            }
            out.flush();
            err.printf("emma4j generate: %d prompt tokens in %.2f s (%.1f tok/s), %d generated in %.2f s (%.2f tok/s), stop: %s%n",
                    r.promptIds().length, r.prefillSeconds(), r.prefillTokensPerSecond(), r.generatedIds().length, r.decodeSeconds(),
                    r.decodeTokensPerSecond(), r.stopReason().name().toLowerCase(java.util.Locale.ROOT));
            err.flush();
            return 0;
        }
    }
}
