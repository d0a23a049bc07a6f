package org.emma4j.model.eval.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.emma4j.model.eval.data.DataFormatException;
import org.emma4j.model.eval.tasks.LanguageResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Result files, averages, Markdown tables, comparisons and the progress line. */
class ReportTest {
    @TempDir
    Path dir;

    static EvalResults sample(double shift) {
        TaskResults xcopa = TaskResults.of("xcopa", List.of(
                new LanguageResult("et", 10, Map.of("acc", 0.5 + shift)),
                new LanguageResult("sw", 20, Map.of("acc", 0.7 + shift))));
        TaskResults ppl = TaskResults.of("perplexity", List.of(new LanguageResult("deu_Latn", 3, Map.of("token_perplexity", 12345.678))));
        return new EvalResults("m", "2025-01-01T00:00:00Z", Map.of("seed", 1), List.of(xcopa, ppl));
    }

    @Test
    void averageIsThePlainMeanOverLanguages() {
        assertEquals(0.6, sample(0).task("xcopa").average().get("acc"), 1e-12);
    }

    @Test
    void jsonRoundTrip() throws Exception {
        Path file = dir.resolve("out/results.json");
        sample(0).write(file);
        EvalResults back = EvalResults.read(file);
        assertEquals(sample(0).tasks(), back.tasks());
        assertEquals("m", back.model());
        assertEquals(1, ((Number) back.settings().get("seed")).intValue());
        Files.writeString(dir.resolve("other.json"), "{\"tasks\": {}}");
        var e = assertThrows(DataFormatException.class, () -> EvalResults.read(dir.resolve("other.json")));
        assertTrue(e.getMessage().contains("not an emma4j results file"), e.getMessage());
    }

    @Test
    void markdownTables() {
        String md = MarkdownTable.results(sample(0));
        assertTrue(md.contains("### xcopa\n\n| language | examples | acc |\n| --- | ---: | ---: |\n| et | 10 | 0.5000 |\n| sw | 20 | 0.7000 |\n"
                + "| **average** |  | **0.6000** |\n"), md);
        assertTrue(md.contains("| deu_Latn | 3 | 12345.68 |"), md);
        String cmp = MarkdownTable.comparison(sample(0), sample(0.1), "A", "B");
        assertTrue(cmp.contains("| xcopa | acc | et | 0.5000 | 0.6000 | 0.1000 |"), cmp);
        assertTrue(cmp.contains("| xcopa | acc | average | 0.6000 | 0.7000 | 0.1000 |"), cmp);
    }

    @Test
    void chartIsAPng() throws Exception {
        Path png = dir.resolve("chart.png");
        assertEquals(2, ComparisonChart.write(sample(0), sample(0.1), "A", "B", png));
        var image = javax.imageio.ImageIO.read(png.toFile());
        assertEquals(2 * ComparisonChart.PANEL_WIDTH, image.getWidth());
        assertEquals(ComparisonChart.PANEL_HEIGHT, image.getHeight());
    }

    @Test
    void progressLine() {
        StringWriter sw = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(sw));
        bar.begin("xcopa et", 4);
        bar.advance();
        bar.advance();
        assertTrue(bar.line().startsWith("xcopa et [###############...............] 2/4"), bar.line());
        bar.advance();
        bar.advance();
        bar.end();
        assertTrue(sw.toString().contains("\rxcopa et [##############################] 4/4"), sw.toString());
    }
}
