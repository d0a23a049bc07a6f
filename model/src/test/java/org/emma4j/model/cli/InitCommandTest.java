package org.emma4j.model.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.emma4j.kernels.DType;
import org.emma4j.model.checkpoint.LlamaCheckpoint;
import org.emma4j.model.config.LlamaConfig;
import org.emma4j.model.config.LlamaShapes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class InitCommandTest {

    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    /** Runs the CLI as Main does (errors reported as one line), capturing stderr. */
    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void initWritesALoadableModel() throws Exception {
        Path out = dir.resolve("tiny");
        assertEquals(0, run("init", "--shape", "tiny", "--vocab", "300", "--seed", "7", "--out", out.toString()), err.toString());
        try (LlamaCheckpoint ckpt = LlamaCheckpoint.open(out)) {
            LlamaConfig expected = LlamaShapes.resolve("tiny").withVocabSize(300);
            assertEquals(expected, ckpt.config());
            assertEquals(DType.BF16, ckpt.weights().embedTokens().dtype());
        }
        // Same seed, same bytes; another seed, other bytes.
        Path again = dir.resolve("again");
        Path other = dir.resolve("other");
        assertEquals(0, run("init", "--shape", "tiny", "--vocab", "300", "--seed", "7", "--out", again.toString()));
        assertEquals(0, run("init", "--shape", "tiny", "--vocab", "300", "--seed", "8", "--out", other.toString()));
        assertArrayEquals(Files.readAllBytes(out.resolve("model.safetensors")), Files.readAllBytes(again.resolve("model.safetensors")));
        assertNotEquals(Files.size(out.resolve("model.safetensors")), 0L);
        assertTrue(!java.util.Arrays.equals(Files.readAllBytes(out.resolve("model.safetensors")),
                Files.readAllBytes(other.resolve("model.safetensors"))));

        assertEquals(1, run("init", "--shape", "tiny", "--vocab", "300", "--out", out.toString()));
        assertTrue(err.toString().contains("already exists"), err.toString());
        assertEquals(0, run("init", "--shape", "tiny", "--vocab", "300", "--out", out.toString(), "--force"));
    }

    @Test
    void explicitShapeTiedF32AndSharded() throws Exception {
        Path out = dir.resolve("explicit");
        assertEquals(0, run("init", "--shape", "dim=32,layers=3,heads=4,kv-heads=1,ffn=64,vocab=50", "--dtype", "f32",
                "--tie-embeddings", "--max-shard-size", "20KB", "--out", out.toString()), err.toString());
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
        assertEquals(1, run("init", "--shape", "llama5", "--out", dir.resolve("x").toString()));
        assertTrue(err.toString().contains("unknown model shape 'llama5'"), err.toString());
        assertEquals(1, run("init", "--shape", "tiny", "--dtype", "f16", "--out", dir.resolve("y").toString()));
        assertTrue(err.toString().contains("--dtype must be f32 or bf16, found 'f16'"), err.toString());
        assertNotEquals(0, run("init", "--shape", "tiny"));
        assertTrue(err.toString().contains("--out"), err.toString());
        assertTrue(!Files.exists(dir.resolve("x")) && !Files.exists(dir.resolve("y")));
    }
}
