package org.emma4j.model.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.emma4j.kernels.RopeFrequencies;
import org.junit.jupiter.api.Test;

class LlamaShapesTest {

    @Test
    void namedShapesMatchTheReleasedModels() {
        LlamaConfig l3 = LlamaShapes.resolve("llama3-8b");
        LlamaConfig l31 = LlamaShapes.resolve("llama3.1-8b");
        LlamaConfig l321 = LlamaShapes.resolve("llama3.2-1b");
        LlamaConfig l323 = LlamaShapes.resolve("Llama3.2-3B");
        assertNull(l3.ropeScaling());
        assertEquals(8192, l3.maxPositionEmbeddings());
        assertEquals(new RopeFrequencies.Llama3Scaling(8.0, 1.0, 4.0, 8192), l31.ropeScaling());
        assertEquals(131072, l31.maxPositionEmbeddings());
        assertTrue(l321.tieWordEmbeddings() && l323.tieWordEmbeddings());
        assertEquals(new RopeFrequencies.Llama3Scaling(32.0, 1.0, 4.0, 8192), l323.ropeScaling());
        assertEquals(List.of(3072, 28, 24, 8, 128, 8192, 128256),
                List.of(l323.hiddenSize(), l323.numHiddenLayers(), l323.numAttentionHeads(), l323.numKeyValueHeads(), l323.headDim(),
                        l323.intermediateSize(), l323.vocabSize()));
        // Counted without materialising anything (the released models' Hugging Face num_parameters()).
        assertEquals(8_030_261_248L, l3.parameterCount());
        assertEquals(8_030_261_248L, l31.parameterCount());
        assertEquals(1_235_814_400L, l321.parameterCount());
        assertEquals(3_212_749_824L, l323.parameterCount());
        for (String name : LlamaShapes.names()) {
            assertTrue(LlamaShapes.resolve(name).parameterCount() > 0, name);
        }
    }

    @Test
    void tinyShapeIsSmallWithGroupedQueryAttention() {
        LlamaConfig tiny = LlamaShapes.resolve("tiny");
        assertEquals(List.of(64, 2, 4, 2, 16), List.of(tiny.hiddenSize(), tiny.numHiddenLayers(), tiny.numAttentionHeads(),
                tiny.numKeyValueHeads(), tiny.headDim()));
        assertTrue(LlamaShapes.resolve("tiny-rope-scaled").ropeScaling() != null);
    }

    @Test
    void explicitSizes() {
        LlamaConfig c = LlamaShapes.resolve("dim=768,layers=12,heads=12,kv-heads=4,ffn=2048,vocab=32000");
        assertEquals(List.of(768, 12, 12, 4, 64, 2048, 32000), List.of(c.hiddenSize(), c.numHiddenLayers(), c.numAttentionHeads(),
                c.numKeyValueHeads(), c.headDim(), c.intermediateSize(), c.vocabSize()));
        assertNull(c.bosTokenId(), "Llama 3 special tokens do not fit a 32000 vocabulary");
        assertEquals(List.of(), c.eosTokenIds());
        LlamaConfig d = LlamaShapes.resolve("hidden=4096, layers=1, heads=32, tied=true, theta=10000, max-pos=4096, eps=1e-6");
        assertEquals(11008, d.intermediateSize(), "Llama's 8/3·dim rule rounded to 256 (Llama 2 7B's width)");
        assertEquals(32, d.numKeyValueHeads());
        assertEquals(128256, d.vocabSize());
        assertEquals(128000, d.bosTokenId());
        assertTrue(d.tieWordEmbeddings());
        assertEquals(10000.0, d.ropeTheta());
        assertEquals(1e-6, d.rmsNormEps());
        assertEquals(4096, d.maxPositionEmbeddings());
        assertEquals(96, LlamaShapes.resolve("dim=100,layers=1,heads=5,head-dim=96").headDim());
    }

    @Test
    void rejectsBadShapes() {
        assertMessage(() -> LlamaShapes.resolve("llama4-400b"), "unknown model shape 'llama4-400b'", "llama3.2-1b", "tiny");
        assertMessage(() -> LlamaShapes.resolve("dim=64,heads=4"), "'layers' is required");
        assertMessage(() -> LlamaShapes.resolve("dim=64,layers=2,heads=4,colour=blue"), "unknown key 'colour'");
        assertMessage(() -> LlamaShapes.resolve("dim=64,layers=two,heads=4"), "layers must be an integer", "'two'");
        assertMessage(() -> LlamaShapes.resolve("dim=64,layers=2,heads=4,kv-heads=3"), "num_key_value_heads (3) must divide");
        assertMessage(() -> LlamaShapes.resolve("dim=100,layers=2,heads=3"), "'head-dim' is required");
        assertMessage(() -> LlamaShapes.resolve("dim=64,layers=2,heads=4,layers=3"), "'layers' is given twice");
        assertMessage(() -> LlamaShapes.resolve("dim=64,layers=2,heads=4,tied=yes"), "tied must be true or false");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message lacks '" + f + "': " + e.getMessage());
        }
    }
}
