package org.emma4j.model.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.emma4j.kernels.TestTensors;
import org.emma4j.model.data.TestCorpora;
import org.emma4j.model.data.loader.DataLoader;
import org.emma4j.model.tokenizer.Llama3Tokenizer;
import org.emma4j.model.tokenizer.SpecialTokenHandling;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** tokenizer-train, prepare and udhr-convert run in-process as the launcher runs them. */
class DataCommandsTest {
    @TempDir
    Path dir;

    record Run(int exitCode, String out, String err) {
    }

    private static Run run(Object command, String... args) {
        CommandLine cli = new CommandLine(command);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("emma4j " + cmd.getCommandName() + ": " + ex.getMessage());
            return 1;
        });
        int code = cli.execute(args);
        cli.getErr().flush();
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void areRegisteredInTheMainCommand() {
        var commands = new CommandLine(new Main()).getSubcommands();
        assertTrue(commands.containsKey("prepare") && commands.containsKey("tokenizer-train") && commands.containsKey("udhr-convert"),
                commands.keySet().toString());
    }

    @Test
    void tokenizerTrainThenPrepareThenLoad() throws IOException {
        long seed = TestTensors.freshSeed();
        SplittableRandom rnd = new SplittableRandom(seed);
        Path corpus = Files.writeString(dir.resolve("corpus.txt"), TestCorpora.text(rnd, 5000));
        Path tok = dir.resolve("tokenizer.json");
        Run train = run(new TokenizerTrainCommand(), "--input", corpus.toString(), "--vocab-size", "700", "--out", tok.toString(),
                "--quiet", "--threads", "2");
        assertEquals(0, train.exitCode(), train.err());
        assertTrue(train.out().contains("700 ids"), train.out());
        Llama3Tokenizer tokenizer = Llama3Tokenizer.load(tok);
        String probe = TestCorpora.text(rnd, 50);
        assertEquals(probe, tokenizer.decode(tokenizer.encode(probe, SpecialTokenHandling.PLAIN)));
        Path again = dir.resolve("again.json");
        run(new TokenizerTrainCommand(), "--input", corpus.toString(), "--vocab-size", "700", "--out", again.toString(), "--quiet",
                "--threads", "1");
        assertArrayEquals(Files.readAllBytes(tok), Files.readAllBytes(again), "seed " + seed + ": training is deterministic");

        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            lines.append("{\"lang\":\"fra_Latn\",\"text\":\"").append(TestCorpora.word(rnd)).append(' ').append(TestCorpora.word(rnd)).append("\"}\n");
        }
        lines.append("{\"lang\":\"fra_Latn\"}\n");
        Files.writeString(dir.resolve("mono.jsonl"), lines);
        Path config = Files.writeString(dir.resolve("mix.yaml"),
                "seq_len: 16\nheldout: {documents_per_language: 2}\nsources:\n  - name: m\n    type: monolingual\n    paths: [mono.jsonl]\n    weight: 1\n");
        Run bad = run(new PrepareCommand(), "--config", config.toString(), "--tokenizer", tok.toString(), "--out",
                dir.resolve("shards").toString(), "--quiet");
        assertEquals(1, bad.exitCode());
        assertTrue(bad.err().contains("mono.jsonl:41: missing_field: no field 'text'") && bad.err().contains("--skip-bad"), bad.err());
        Run ok = run(new PrepareCommand(), "--config", config.toString(), "--tokenizer", tok.toString(), "--out",
                dir.resolve("shards").toString(), "--quiet", "--skip-bad");
        assertEquals(0, ok.exitCode(), ok.err());
        assertTrue(ok.out().contains("train: ") && ok.out().contains("validation: "), ok.out());
        try (DataLoader loader = DataLoader.open(dir.resolve("shards"), 16, 2, 1, 0, 1)) {
            int[] in = new int[32];
            int[] labels = new int[32];
            assertEquals(2, loader.nextBatch(in, labels));
            assertEquals(tokenizer.bosId(), in[0], "sequences start with BOS");
        }
        Run exists = run(new PrepareCommand(), "--config", config.toString(), "--tokenizer", tok.toString(), "--out",
                dir.resolve("shards").toString(), "--quiet", "--skip-bad");
        assertEquals(1, exists.exitCode(), "an existing output directory needs --force");
        assertTrue(exists.err().contains("already exists"), exists.err());
    }

    @Test
    void udhrConvertWritesTheCorpus() throws IOException {
        Path pkg = org.emma4j.model.data.udhr.UdhrFixtures.write(dir.resolve("package"));
        Run r = run(new UdhrConvertCommand(), "--from", pkg.toString(), "--out", dir.resolve("udhr").toString(), "--heldout-articles", "27-30");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("3 languages"), r.out());
        assertTrue(Files.isRegularFile(dir.resolve("udhr/mono/heldout.jsonl.zst")));
        assertEquals(java.util.Set.of(1, 3, 27, 28), UdhrConvertCommand.articles("1, 3,27-28"));
        Run bad = run(new UdhrConvertCommand(), "--from", pkg.toString(), "--out", dir.resolve("u2").toString(), "--heldout-articles", "x");
        assertEquals(1, bad.exitCode());
        assertTrue(bad.err().contains("--heldout-articles"), bad.err());
    }
}
