package org.emma4j.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TestTensors;
import org.emma4j.kernels.cpu.CpuPool;
import org.emma4j.model.config.LlamaConfig;
import org.emma4j.model.config.LlamaConfigJson;
import org.emma4j.model.config.LlamaShapes;
import org.emma4j.model.safetensors.SafetensorsWriter;
import org.emma4j.model.safetensors.TensorContent;
import org.emma4j.model.safetensors.TensorSource;
import org.emma4j.model.safetensors.WriteProgress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing and opening Llama model directories, and every way the tensors can disagree with config.json. */
class LlamaCheckpointTest {

    /** Small and awkward: head_dim 12, 2 KV heads of 4 query heads, FFN 80, vocabulary 97. */
    static final LlamaConfig SMALL = LlamaShapes.resolve("dim=48,layers=2,heads=4,kv-heads=2,ffn=80,vocab=97");

    private static CpuPool pool;

    @TempDir
    Path dir;

    @BeforeAll
    static void startPool() {
        pool = new CpuPool(2);
    }

    @AfterAll
    static void stopPool() {
        pool.close();
    }

    /** The bytes a source produces (into shared memory: sources may write from several threads). */
    static byte[] bytesOf(TensorSource s) throws Exception {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment seg = arena.allocate(Math.max(1, s.byteSize()));
            s.content().writeTo(seg.asSlice(0, s.byteSize()));
            return seg.asSlice(0, s.byteSize()).toArray(ValueLayout.JAVA_BYTE);
        }
    }

    @Test
    void writesAndReopensAModelDirectory() throws Exception {
        long seed = TestTensors.freshSeed();
        for (boolean sharded : new boolean[] {false, true}) {
            Path model = dir.resolve(sharded ? "sharded" : "single");
            List<TensorSource> sources = RandomInit.sources(SMALL, seed, pool);
            LlamaCheckpointWriter.Options options = LlamaCheckpointWriter.Options.defaults()
                    .withMaxShardBytes(sharded ? 8000 : Long.MAX_VALUE);
            LlamaCheckpointWriter.write(model, SMALL, sources, options, WriteProgress.NONE);

            assertTrue(Files.exists(model.resolve("config.json")));
            assertTrue(Files.exists(model.resolve("generation_config.json")));
            assertEquals(sharded, Files.exists(model.resolve("model.safetensors.index.json")));
            try (LlamaCheckpoint ckpt = LlamaCheckpoint.open(model)) {
                assertEquals(SMALL, ckpt.config());
                LlamaWeights w = ckpt.weights();
                assertEquals(2, w.layers().size());
                assertEquals(SMALL.parameterCount(), w.parameterCount());
                assertArrayEquals(new long[] {24, 48}, w.layers().get(1).kProj().shape());
                assertEquals("model.layers.1.self_attn.k_proj.weight", w.layers().get(1).kProj().name());
                Map<String, Tensor> byName = w.byName();
                assertEquals(sources.stream().map(TensorSource::name).toList(), List.copyOf(byName.keySet()), "model order");
                for (TensorSource s : sources) {
                    assertArrayEquals(bytesOf(s), byName.get(s.name()).segment().toArray(ValueLayout.JAVA_BYTE), s.name() + ", seed " + seed);
                }
                JsonNode gen = ckpt.generationConfig();
                assertTrue(gen.get("_from_model_config").asBoolean());
            }
        }
    }

    @Test
    void tiedModelsShareTheEmbeddingAndIgnoreAStoredHead() throws Exception {
        LlamaConfig tied = SMALL.withTiedEmbeddings(true);
        Path model = dir.resolve("tied");
        LlamaCheckpointWriter.write(model, tied, RandomInit.sources(tied, 3, pool), LlamaCheckpointWriter.Options.defaults(),
                WriteProgress.NONE);
        try (LlamaCheckpoint ckpt = LlamaCheckpoint.open(model)) {
            assertTrue(ckpt.weights().tied());
            assertSame(ckpt.weights().embedTokens(), ckpt.weights().lmHead());
            assertTrue(ckpt.weights().byName().keySet().stream().noneMatch(n -> n.equals("lm_head.weight")));
        }
        // A tied checkpoint that also stores lm_head.weight (some exporters do): transformers ignores it; so do we.
        List<TensorSource> withHead = new ArrayList<>(RandomInit.sources(tied, 3, pool));
        withHead.add(new TensorSource("lm_head.weight", tied.dtype(), new long[] {97, 48}, ones(tied.dtype())));
        Path other = writeRaw("tied-with-head", tied, withHead);
        try (LlamaCheckpoint ckpt = LlamaCheckpoint.open(other)) {
            assertSame(ckpt.weights().embedTokens(), ckpt.weights().lmHead());
        }
    }

    @Test
    void copiesTokenizerFilesAndAGenerationConfig() throws Exception {
        Path tok = Files.createDirectory(dir.resolve("tok"));
        Files.writeString(tok.resolve("tokenizer.json"), "{\"model\": {}}");
        Files.writeString(tok.resolve("tokenizer_config.json"), "{}");
        Files.writeString(tok.resolve("unrelated.txt"), "x");
        JsonNode gen = new ObjectMapper().readTree("{\"bos_token_id\": 1, \"temperature\": 0.6, \"top_p\": 0.9}");
        Path model = dir.resolve("with-tokenizer");
        LlamaCheckpointWriter.write(model, SMALL, RandomInit.sources(SMALL, 1, pool),
                LlamaCheckpointWriter.Options.defaults().withTokenizer(tok).withGenerationConfig(gen), WriteProgress.NONE);
        assertEquals("{\"model\": {}}", Files.readString(model.resolve("tokenizer.json")));
        assertTrue(Files.exists(model.resolve("tokenizer_config.json")));
        assertTrue(!Files.exists(model.resolve("unrelated.txt")) && !Files.exists(model.resolve("special_tokens_map.json")));
        try (LlamaCheckpoint ckpt = LlamaCheckpoint.open(model)) {
            assertEquals(gen, ckpt.generationConfig());
        }
        Path empty = Files.createDirectory(dir.resolve("no-tokenizer"));
        var e = assertThrows(java.nio.file.NoSuchFileException.class, () -> LlamaCheckpointWriter.write(dir.resolve("m2"), SMALL,
                RandomInit.sources(SMALL, 1, pool), LlamaCheckpointWriter.Options.defaults().withTokenizer(empty), WriteProgress.NONE));
        assertTrue(e.getMessage().contains("tokenizer.json"), e.getMessage());
        assertTrue(!Files.exists(dir.resolve("m2")), "nothing written when the tokenizer is missing");
    }

    @Test
    void refusesToOverwriteUnlessAsked() throws Exception {
        Path model = dir.resolve("m");
        LlamaCheckpointWriter.write(model, SMALL, RandomInit.sources(SMALL, 1, pool), LlamaCheckpointWriter.Options.defaults(),
                WriteProgress.NONE);
        assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> LlamaCheckpointWriter.write(model, SMALL,
                RandomInit.sources(SMALL, 2, pool), LlamaCheckpointWriter.Options.defaults(), WriteProgress.NONE));
        LlamaCheckpointWriter.write(model, SMALL, RandomInit.sources(SMALL, 2, pool),
                LlamaCheckpointWriter.Options.defaults().withOverwrite(true), WriteProgress.NONE);
        try (LlamaCheckpoint ckpt = LlamaCheckpoint.open(model)) {
            TensorSource embed2 = RandomInit.sources(SMALL, 2, pool).getFirst();
            assertArrayEquals(bytesOf(embed2), ckpt.weights().embedTokens().segment().toArray(ValueLayout.JAVA_BYTE));
        }
    }

    @Test
    void writerRefusesTensorsThatDoNotFitTheConfig() {
        List<TensorSource> sources = new ArrayList<>(RandomInit.sources(SMALL, 1, pool));
        sources.removeIf(s -> s.name().equals("model.norm.weight"));
        var missing = assertThrows(IllegalArgumentException.class, () -> LlamaCheckpointWriter.write(dir.resolve("x"), SMALL, sources,
                LlamaCheckpointWriter.Options.defaults(), WriteProgress.NONE));
        assertTrue(missing.getMessage().contains("'model.norm.weight' is missing"), missing.getMessage());
        var dtype = assertThrows(IllegalArgumentException.class, () -> LlamaCheckpointWriter.write(dir.resolve("x"),
                SMALL.withDType(DType.F32), RandomInit.sources(SMALL, 1, pool), LlamaCheckpointWriter.Options.defaults(), WriteProgress.NONE));
        assertTrue(dtype.getMessage().contains("is BF16 but config.json will say torch_dtype float32"), dtype.getMessage());
    }

    // ------------------------------------------------------------------------------------------ mismatches

    private static TensorContent ones(DType dtype) {
        return dst -> RandomInit.fillOnes(dst, dtype, dst.byteSize() / dtype.byteSize());
    }

    /** A model directory with exactly these tensors, bypassing the writer's checks. */
    private Path writeRaw(String name, LlamaConfig config, List<TensorSource> tensors) throws Exception {
        Path model = Files.createDirectory(dir.resolve(name));
        LlamaConfigJson.write(config, model);
        SafetensorsWriter.write(model.resolve("model.safetensors"), tensors);
        return model;
    }

    private static void rejects(Path model, String... fragments) {
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> LlamaCheckpoint.open(model).close());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message lacks '" + f + "': " + e.getMessage());
        }
    }

    private List<TensorSource> sourcesWithout(String name) {
        List<TensorSource> s = new ArrayList<>(RandomInit.sources(SMALL, 5, pool));
        s.removeIf(t -> t.name().equals(name));
        return s;
    }

    @Test
    void rejectsMissingTensors() throws Exception {
        Path model = writeRaw("missing", SMALL, sourcesWithout("model.layers.1.mlp.up_proj.weight"));
        rejects(model, model.toString(), "missing 1 tensor", "'model.layers.1.mlp.up_proj.weight'");
        Path noHead = writeRaw("no-head", SMALL, sourcesWithout("lm_head.weight"));
        rejects(noHead, "'lm_head.weight'", "tie_word_embeddings false");
    }

    @Test
    void rejectsUnexpectedTensorsButIgnoresRotaryBuffers() throws Exception {
        List<TensorSource> extra = sourcesWithout("none");
        extra.add(new TensorSource("model.layers.99.mlp.up_proj.weight", DType.BF16, new long[] {80, 48}, ones(DType.BF16)));
        Path model = writeRaw("extra", SMALL, extra);
        rejects(model, model.resolve("model.safetensors").toString(), "unexpected tensor 'model.layers.99.mlp.up_proj.weight'",
                "num_hidden_layers=2");

        List<TensorSource> buffers = sourcesWithout("none");
        buffers.add(new TensorSource("model.layers.0.self_attn.rotary_emb.inv_freq", DType.F32, new long[] {6}, ones(DType.F32)));
        buffers.add(new TensorSource("model.rotary_emb.inv_freq", DType.F32, new long[] {6}, ones(DType.F32)));
        try (LlamaCheckpoint ckpt = LlamaCheckpoint.open(writeRaw("buffers", SMALL, buffers))) {
            assertEquals(SMALL.parameterCount(), ckpt.weights().parameterCount());
        }
    }

    @Test
    void rejectsWrongShapesAndDtypes() throws Exception {
        List<TensorSource> wrong = sourcesWithout("model.layers.0.self_attn.v_proj.weight");
        wrong.add(new TensorSource("model.layers.0.self_attn.v_proj.weight", DType.BF16, new long[] {48, 48}, ones(DType.BF16)));
        Path model = writeRaw("shape", SMALL, wrong);
        rejects(model, model.resolve("model.safetensors").toString(), "tensor 'model.layers.0.self_attn.v_proj.weight' has shape [48, 48]",
                "expected [24, 48]", "[num_key_value_heads * head_dim, hidden_size]");

        List<TensorSource> transposed = sourcesWithout("model.embed_tokens.weight");
        transposed.add(new TensorSource("model.embed_tokens.weight", DType.BF16, new long[] {48, 97}, ones(DType.BF16)));
        rejects(writeRaw("transposed", SMALL, transposed), "'model.embed_tokens.weight' has shape [48, 97]", "expected [97, 48]");

        List<TensorSource> ints = sourcesWithout("model.norm.weight");
        ints.add(new TensorSource("model.norm.weight", DType.I32, new long[] {48}, dst -> dst.fill((byte) 1)));
        rejects(writeRaw("ints", SMALL, ints), "'model.norm.weight' has dtype I32");
    }

    @Test
    void configForAnotherModelFailsClearly() throws Exception {
        Path model = dir.resolve("m");
        LlamaCheckpointWriter.write(model, SMALL, RandomInit.sources(SMALL, 1, pool), LlamaCheckpointWriter.Options.defaults(),
                WriteProgress.NONE);
        // Claim three layers in config.json: layer 2's weights are then missing.
        LlamaConfigJson.write(LlamaShapes.resolve("dim=48,layers=3,heads=4,kv-heads=2,ffn=80,vocab=97"), model);
        rejects(model, "missing 9 tensors", "num_hidden_layers=3", "'model.layers.2.");
        // And a mapped checkpoint's tensors are views, not copies.
        LlamaConfigJson.write(SMALL, model);
        try (LlamaCheckpoint ckpt = LlamaCheckpoint.open(model)) {
            assertSame(ckpt.weights().layers().get(0).qProj().storage(), ckpt.weights().norm().storage());
            assertNotSame(ckpt.weights().embedTokens(), ckpt.weights().lmHead(), "untied");
        }
    }
}
