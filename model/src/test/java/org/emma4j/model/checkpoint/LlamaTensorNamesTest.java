package org.emma4j.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import org.emma4j.kernels.TestTensors;
import org.emma4j.model.config.LlamaConfig;
import org.emma4j.model.config.LlamaShapes;
import org.junit.jupiter.api.Test;

class LlamaTensorNamesTest {

    @Test
    void specsOfLlama32_1b() {
        LlamaConfig c = LlamaShapes.resolve("llama3.2-1b");
        List<LlamaTensorSpec> specs = LlamaTensorNames.specs(c);
        assertEquals(16 * 9 + 2, specs.size(), "tied: no lm_head");
        assertEquals("model.embed_tokens.weight", specs.getFirst().name());
        assertArrayEquals(new long[] {128256, 2048}, specs.getFirst().shape());
        assertEquals("model.norm.weight", specs.getLast().name());
        LlamaTensorSpec k = specs.stream().filter(s -> s.name().equals("model.layers.15.self_attn.k_proj.weight")).findFirst().orElseThrow();
        assertArrayEquals(new long[] {512, 2048}, k.shape());
        LlamaTensorSpec o = specs.stream().filter(s -> s.name().equals("model.layers.0.self_attn.o_proj.weight")).findFirst().orElseThrow();
        assertArrayEquals(new long[] {2048, 2048}, o.shape());
        LlamaTensorSpec down = specs.stream().filter(s -> s.name().equals("model.layers.3.mlp.down_proj.weight")).findFirst().orElseThrow();
        assertArrayEquals(new long[] {2048, 8192}, down.shape());
        assertEquals(specs.size(), new HashSet<>(specs.stream().map(LlamaTensorSpec::name).toList()).size(), "names unique");
    }

    @Test
    void untiedModelsHaveAnLmHead() {
        List<LlamaTensorSpec> specs = LlamaTensorNames.specs(LlamaShapes.resolve("llama3-8b"));
        assertEquals(32 * 9 + 3, specs.size());
        assertEquals("lm_head.weight", specs.getLast().name());
        assertArrayEquals(new long[] {128256, 4096}, specs.getLast().shape());
    }

    @Test
    void specsAddUpToTheParameterCount() {
        for (String name : LlamaShapes.names()) {
            LlamaConfig c = LlamaShapes.resolve(name);
            assertEquals(c.parameterCount(), LlamaTensorNames.specs(c).stream().mapToLong(LlamaTensorSpec::elementCount).sum(), name);
        }
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < 20; i++) {
            int kv = 1 + rnd.nextInt(4);
            int heads = kv * (1 + rnd.nextInt(3));
            int headDim = 2 * (1 + rnd.nextInt(20));
            String spec = "dim=" + (1 + rnd.nextInt(130)) + ",layers=" + (1 + rnd.nextInt(5)) + ",heads=" + heads + ",kv-heads=" + kv
                    + ",head-dim=" + headDim + ",ffn=" + (1 + rnd.nextInt(97)) + ",vocab=" + (1 + rnd.nextInt(300))
                    + ",tied=" + rnd.nextBoolean();
            LlamaConfig c = LlamaShapes.resolve(spec);
            assertEquals(c.parameterCount(), LlamaTensorNames.specs(c).stream().mapToLong(LlamaTensorSpec::elementCount).sum(),
                    spec + " (seed " + seed + ")");
        }
    }

    @Test
    void onlyRotaryBuffersAreIgnorable() {
        assertTrue(LlamaTensorNames.isIgnoredBuffer("model.layers.0.self_attn.rotary_emb.inv_freq"));
        assertTrue(LlamaTensorNames.isIgnoredBuffer("model.layers.31.self_attn.rotary_emb.inv_freq"));
        assertTrue(LlamaTensorNames.isIgnoredBuffer("model.rotary_emb.inv_freq"));
        assertFalse(LlamaTensorNames.isIgnoredBuffer("model.layers.0.self_attn.q_proj.weight"));
        assertFalse(LlamaTensorNames.isIgnoredBuffer("model.layers.0.self_attn.rotary_emb.cos_cached"));
        assertFalse(LlamaTensorNames.isIgnoredBuffer("xmodel.rotary_emb.inv_freq"));
    }
}
