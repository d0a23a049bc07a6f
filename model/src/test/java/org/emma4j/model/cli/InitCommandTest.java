package org.emma4j.model.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.emma4j.kernels.DType;
import org.emma4j.model.checkpoint.LlamaCheckpoint;
import org.emma4j.model.config.LlamaConfig;
import org.emma4j.model.config.LlamaShapes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitCommandTest {

    @TempDir
    Path dir;

    private final CliRunner cli = new CliRunner();


    @Test
    void initWritesALoadableModel() throws Exception {
        Path out = dir.resolve("tiny");
        assertEquals(0, cli.run("init", "--shape", "tiny", "--vocab", "300", "--seed", "7", "--out", out.toString()), cli.err());
        try (LlamaCheckpoint ckpt = LlamaCheckpoint.open(out)) {
            LlamaConfig expected = LlamaShapes.resolve("tiny").withVocabSize(300);
            assertEquals(expected, ckpt.config());
            assertEquals(DType.BF16, ckpt.weights().embedTokens().dtype());
        }
        // Same seed, same bytes; another seed, other bytes.
        Path again = dir.resolve("again");
        Path other = dir.resolve("other");
        assertEquals(0, cli.run("init", "--shape", "tiny", "--vocab", "300", "--seed", "7", "--out", again.toString()));
        assertEquals(0, cli.run("init", "--shape", "tiny", "--vocab", "300", "--seed", "8", "--out", other.toString()));
        assertArrayEquals(Files.readAllBytes(out.resolve("model.safetensors")), Files.readAllBytes(again.resolve("model.safetensors")));
        assertNotEquals(Files.size(out.resolve("model.safetensors")), 0L);
        assertTrue(!java.util.Arrays.equals(Files.readAllBytes(out.resolve("model.safetensors")),
                Files.readAllBytes(other.resolve("model.safetensors"))));

        assertEquals(1, cli.run("init", "--shape", "tiny", "--vocab", "300", "--out", out.toString()));
        assertTrue(cli.err().contains("already exists"), cli.err());
        assertEquals(0, cli.run("init", "--shape", "tiny", "--vocab", "300", "--out", out.toString(), "--force"));
    }

    @Test
    void explicitShapeTiedF32AndSharded() throws Exception {
        Path out = dir.resolve("explicit");
        assertEquals(0, cli.run("init", "--shape", "dim=32,layers=3,heads=4,kv-heads=1,ffn=64,vocab=50", "--dtype", "f32",
                "--tie-embeddings", "--max-shard-size", "20KB", "--out", out.toString()), cli.err());
        assertTrue(Files.exists(out.resolve("model.safetensors.index.json")));
        try (LlamaCheckpoint ckpt = LlamaCheckpoint.open(out)) {
            assertTrue(ckpt.config().tieWordEmbeddings());
            assertEquals(DType.F32, ckpt.config().dtype());
            assertEquals(3, ckpt.config().numHiddenLayers());
            assertTrue(ckpt.weights().tied());
        }
    }

    @Test
    void badArgumentsFailWithAMessage() {
        assertEquals(1, cli.run("init", "--shape", "llama5", "--out", dir.resolve("x").toString()));
        assertTrue(cli.err().contains("unknown model shape 'llama5'"), cli.err());
        assertEquals(1, cli.run("init", "--shape", "tiny", "--dtype", "f16", "--out", dir.resolve("y").toString()));
        assertTrue(cli.err().contains("--dtype must be f32 or bf16, found 'f16'"), cli.err());
        assertNotEquals(0, cli.run("init", "--shape", "tiny"));
        assertTrue(cli.err().contains("--out"), cli.err());
        assertTrue(!Files.exists(dir.resolve("x")) && !Files.exists(dir.resolve("y")));
    }
}
