package org.emma4j.model.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.emma4j.kernels.TestTensors;
import org.emma4j.model.eval.TinyLlama;
import org.emma4j.model.eval.report.EvalResults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The score, eval and compare commands end to end: score on sacreBLEU's README example, eval of a tiny random
 * model on the task fixtures, compare of two runs into a PNG.
 */
class EvalCommandsTest {
    @TempDir
    Path dir;

    private final CliRunner cli = new CliRunner();

    private static Path fixtures() throws URISyntaxException {
        return Path.of(EvalCommandsTest.class.getResource("/org/emma4j/model/eval/fixtures").toURI());
    }

    @Test
    void scoreBleuAndChrfWithTwoReferenceFiles() throws Exception {
        // sacreBLEU test_bleu.py's README example: BLEU 48.530827 with both reference streams.
        Path hyps = Files.writeString(dir.resolve("hyps.txt"), "The dog bit the man.\nIt wasn't surprising.\nThe man had just bitten him.\n");
        Path r1 = Files.writeString(dir.resolve("r1.txt"), "The dog bit the man.\nIt was not unexpected.\nThe man bit him first.\n");
        Path r2 = Files.writeString(dir.resolve("r2.txt"), "The dog had bit the man.\nNo one was surprised.\nThe man had bitten the dog.\n");
        assertEquals(0, cli.run("score", "--metric", "bleu", "--hyps", hyps.toString(), "--refs", r1.toString(), "--refs", r2.toString()),
                cli.err());
        assertEquals("bleu = 48.5308 (3 segments, 2 references)", cli.out().strip());
        cli.clearOut();
        assertEquals(0, cli.run("score", "--metric", "rougeL", "--hyps", hyps.toString(), "--refs", hyps.toString(), "--json"));
        assertTrue(cli.out().contains("\"metric\":\"rougeL\",\"score\":100.0"), cli.out());
    }

    @Test
    void scoreRejectsMismatchedLineCounts() throws Exception {
        Path hyps = Files.writeString(dir.resolve("h.txt"), "a\nb\n");
        Path refs = Files.writeString(dir.resolve("r.txt"), "a\n");
        assertEquals(1, cli.run("score", "--metric", "chrf++", "--hyps", hyps.toString(), "--refs", refs.toString()));
        assertTrue(cli.err().contains("line counts differ: " + hyps + " has 2 lines but " + refs + " has 1"), cli.err());
        assertEquals(1, cli.run("score", "--metric", "meteor", "--hyps", hyps.toString(), "--refs", hyps.toString()));
        assertTrue(cli.err().contains("unknown metric 'meteor'"), cli.err());
    }

    @Test
    void evalThenCompare() throws Exception {
        Path model = TinyLlama.write(dir, TestTensors.freshSeed());
        Path a = dir.resolve("a.json");
        Path b = dir.resolve("b.json");
        assertEquals(0, cli.run("eval", "--model", model.toString(), "--tasks", "xcopa,perplexity", "--data-dir", fixtures().toString(),
                "--limit", "2", "--max-length", "64", "--threads", "1", "--out", a.toString()), cli.err());
        String table = cli.out();
        assertTrue(table.contains("### xcopa") && table.contains("| et | 2 |") && table.contains("### perplexity")
                && table.contains("| deu_Latn | 2 |") && table.contains("| eng_Latn | 2 |"), table);
        assertTrue(cli.err().contains("xcopa et [") && cli.err().contains("2/2"), "progress bar on stderr: " + cli.err());
        EvalResults ra = EvalResults.read(a);
        assertEquals(2, ra.task("xcopa").languages().get(0).examples());
        double ppl = ra.task("perplexity").languages().get(0).metrics().get("token_perplexity");
        assertTrue(ppl > 1 && Double.isFinite(ppl), "token perplexity " + ppl);

        assertEquals(0, cli.run("eval", "--model", model.toString(), "--tasks", "xcopa", "--data-dir", fixtures().toString(),
                "--languages", "et", "--limit", "2", "--shots", "1", "--max-length", "64", "--threads", "1", "--out", b.toString()),
                cli.err());
        cli.clearOut();
        Path png = dir.resolve("chart.png");
        assertEquals(0, cli.run("compare", a.toString(), b.toString(), "--out", png.toString()), cli.err());
        assertTrue(cli.out().startsWith("| task | metric | language | a | b | B - A |"), cli.out());
        assertTrue(cli.out().contains("| xcopa | acc | et |"), cli.out());
        assertTrue(Files.size(png) > 1000);
        assertEquals(137, Files.readAllBytes(png)[0] & 0xFF, "PNG signature");
    }

    @Test
    void evalRunsEveryTaskOnTheFixtures() throws Exception {
        Path model = TinyLlama.write(dir, TestTensors.freshSeed());
        Path results = dir.resolve("all.json");
        assertEquals(0, cli.run("eval", "--model", model.toString(), "--tasks", "all", "--data-dir", fixtures().toString(), "--limit", "1",
                "--max-length", "96", "--threads", "1", "--out", results.toString()), cli.err());
        EvalResults r = EvalResults.read(results);
        assertEquals(org.emma4j.model.eval.tasks.TaskRegistry.names(), r.tasks().stream().map(t -> t.task()).toList());
        for (var t : r.tasks()) {
            for (var l : t.languages()) {
                assertEquals(1, l.examples(), t.task() + " " + l.language());
                l.metrics().forEach((k, v) -> assertTrue(Double.isFinite(v), t.task() + " " + l.language() + " " + k + " = " + v));
            }
        }
        assertEquals(java.util.List.of("de", "en"), r.task("xnli").languages().stream().map(l -> l.language()).toList());
    }

    @Test
    void evalNamesMissingData() throws Exception {
        Path model = TinyLlama.write(dir, 5);
        assertEquals(1, cli.run("eval", "--model", model.toString(), "--tasks", "belebele", "--data-dir", dir.toString(), "--threads", "1"));
        assertTrue(cli.err().contains("task belebele found no languages to evaluate under " + dir.toAbsolutePath()), cli.err());
        assertEquals(1, cli.run("eval", "--model", model.toString(), "--tasks", "belebele", "--languages", "fra_Latn", "--data-dir", dir.toString(),
                "--threads", "1"));
        assertTrue(cli.err().contains("missing BELEBELE file: expected the file " + dir.toAbsolutePath().resolve("belebele/fra_Latn.jsonl")),
                cli.err());
    }
}
