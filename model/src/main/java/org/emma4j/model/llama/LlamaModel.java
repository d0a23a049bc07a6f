package org.emma4j.model.llama;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.emma4j.kernels.Backend;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TensorScope;
import org.emma4j.model.checkpoint.LlamaCheckpoint;
import org.emma4j.model.checkpoint.LlamaWeights;
import org.emma4j.model.config.LlamaConfig;
import org.emma4j.model.tokenizer.Llama3Tokenizer;
import org.emma4j.model.tokenizer.SpecialTokenHandling;

/**
 * A Llama 3 model ready for inference: the library's front door.
 *
 * <pre>{@code
 * try (Backend backend = new CpuBackend();
 *      LlamaModel model = LlamaModel.load(Path.of("Llama-3.2-1B"), backend, LlamaModel.Options.defaults())) {
 *     int[] ids = model.tokenizer().encodeWithBos("The capital of France is", SpecialTokenHandling.PARSE);
 *     float[][] logits = model.logits(ids);
 *     Generator.Result r = model.generate("The capital of France is", 20, SamplingParams.greedy());
 *     System.out.println(r.text());
 * }
 * }</pre>
 *
 * <p>On a host backend, F32 and BF16 checkpoints are used straight from the memory-mapped files (no copy);
 * otherwise, or when {@link Options#weightDtype} asks for another dtype, the weights are copied into the
 * backend's memory.
 */
public final class LlamaModel implements AutoCloseable {

    /**
     * @param weightDtype  F32 or BF16 to convert the weights on load, or null to keep the checkpoint's dtype
     *                     (F16 checkpoints are then widened to F32)
     * @param maxContext   the longest sequence (prompt plus generated), capped by the model's max positions
     * @param prefillChunk tokens per prefill GEMM chunk
     * @param cacheDtype   the KV cache's dtype
     */
    public record Options(DType weightDtype, int maxContext, int prefillChunk, DType cacheDtype) {
        public static Options defaults() {
            return new Options(null, 4096, 256, DType.F32);
        }

        public Options withWeightDtype(DType d) {
            return new Options(d, maxContext, prefillChunk, cacheDtype);
        }

        public Options withMaxContext(int n) {
            return new Options(weightDtype, n, prefillChunk, cacheDtype);
        }

        public Options withCacheDtype(DType d) {
            return new Options(weightDtype, maxContext, prefillChunk, d);
        }
    }

    private final LlamaCheckpoint checkpoint;
    private final TensorScope weightScope;
    private final LlamaInference inference;
    private final Llama3Tokenizer tokenizer;
    private final Options options;

    private LlamaModel(LlamaCheckpoint checkpoint, TensorScope weightScope, LlamaInference inference, Llama3Tokenizer tokenizer,
                       Options options) {
        this.checkpoint = checkpoint;
        this.weightScope = weightScope;
        this.inference = inference;
        this.tokenizer = tokenizer;
        this.options = options;
    }

    /** Opens a Hugging Face model directory; the tokenizer is loaded when the directory has one. */
    public static LlamaModel load(Path directory, Backend backend, Options options) throws IOException {
        LlamaCheckpoint checkpoint = LlamaCheckpoint.open(directory);
        TensorScope weightScope = null;
        try {
            LlamaConfig config = checkpoint.config();
            LlamaWeights mapped = checkpoint.weights();
            DType target = options.weightDtype();
            boolean allUsable = mapped.byName().values().stream().allMatch(t -> t.dtype() == DType.F32 || t.dtype() == DType.BF16);
            if (target == null && !allUsable) {
                target = DType.F32;
            }
            DType wanted = target;
            boolean dtypeChange = wanted != null && mapped.byName().values().stream().anyMatch(t -> t.dtype() != wanted);
            LlamaWeights weights = mapped;
            if (!isHostBackend(backend) || dtypeChange) {
                weightScope = backend.newScope();
                weights = checkpoint.copyTo(backend, weightScope, wanted != null ? wanted : mapped.embedTokens().dtype());
            }
            int maxContext = Math.min(options.maxContext(), config.maxPositionEmbeddings());
            LlamaInference inference = new LlamaInference(backend, config, weights, maxContext,
                    Math.min(options.prefillChunk(), maxContext));
            Llama3Tokenizer tokenizer = hasTokenizer(directory) ? Llama3Tokenizer.load(directory) : null;
            return new LlamaModel(checkpoint, weightScope, inference, tokenizer, options);
        } catch (IOException | RuntimeException e) {
            if (weightScope != null) {
                weightScope.close();
            }
            checkpoint.close();
            throw e;
        }
    }

    private static boolean isHostBackend(Backend backend) {
        try (TensorScope probe = backend.newScope()) {
            return probe.allocate(DType.F32, 1).isHost();
        }
    }

    private static boolean hasTokenizer(Path dir) {
        return Files.isRegularFile(dir.resolve("tokenizer.json")) || Files.isRegularFile(dir.resolve("tokenizer.model"))
                || Files.isRegularFile(dir.resolve("original/tokenizer.model"));
    }

    public LlamaConfig config() {
        return checkpoint.config();
    }

    /** The tokenizer, or null when the model directory has none (generation then takes ids). */
    public Llama3Tokenizer tokenizer() {
        return tokenizer;
    }

    public LlamaInference inference() {
        return inference;
    }

    /** Logits [ids.length][vocab] of a fresh sequence (position 0 onwards). */
    public float[][] logits(int[] ids) {
        try (TensorScope scope = inference.backend().newScope()) {
            KvCache cache = inference.newCache(scope, options.cacheDtype(), ids.length);
            float[][] rows = new float[ids.length][];
            int vocab = config().vocabSize();
            for (int start = 0; start < ids.length; start += inference.maxChunk()) {
                int end = Math.min(ids.length, start + inference.maxChunk());
                Tensor chunk = inference.forward(java.util.Arrays.copyOfRange(ids, start, end), cache, true);
                float[] flat = inference.backend().toFloats(chunk);
                for (int i = 0; i < end - start; i++) {
                    rows[start + i] = java.util.Arrays.copyOfRange(flat, i * vocab, (i + 1) * vocab);
                }
            }
            return rows;
        }
    }

    /** Generates from ids; stops at the config's EOS ids. */
    public Generator.Result generate(int[] promptIds, int maxNewTokens, SamplingParams sampling, List<String> stopStrings,
                                     Generator.TokenListener listener) {
        var request = new Generator.Request(promptIds, maxNewTokens, sampling, java.util.Set.copyOf(config().eosTokenIds()),
                stopStrings);
        return new Generator(inference, tokenizer).generate(request, options.cacheDtype(), listener);
    }

    /** Generates from text: BOS is added, special-token text is parsed. */
    public Generator.Result generate(String prompt, int maxNewTokens, SamplingParams sampling) {
        if (tokenizer == null) {
            throw new IllegalStateException("model directory " + checkpoint.directory() + " has no tokenizer; generate from ids");
        }
        return generate(tokenizer.encodeWithBos(prompt, SpecialTokenHandling.PARSE), maxNewTokens, sampling, List.of(),
                (id, text) -> { });
    }

    @Override
    public void close() {
        inference.close();
        if (weightScope != null) {
            weightScope.close();
        }
        checkpoint.close();
    }
}
