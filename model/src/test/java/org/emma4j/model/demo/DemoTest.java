package org.emma4j.model.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.emma4j.model.eval.report.EvalResults;
import org.emma4j.model.eval.tasks.LanguageResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole demo end to end in quick mode (English and French, a few steps), and its evaluation data's alignment. */
class DemoTest {
    /** Tests run in the model module; the corpus is at the repository root. */
    private static final Path CORPUS = Path.of("..", "data", "udhr", "corpus").toAbsolutePath().normalize();

    @Test
    void quickDemoTrainsBothRunsAndWritesComparableResults(@TempDir Path tmp) throws Exception {
        System.setProperty("java.awt.headless", "true");
        Path out = tmp.resolve("demo");
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        UdhrAblation.Result result;
        try (PrintStream log = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            result = UdhrAblation.run(new UdhrAblation.Options(CORPUS, out, DemoPlan.quick(), 7, 2, false), log);
        }
        String printed = buffer.toString(StandardCharsets.UTF_8);
        for (int s = 1; s <= 8; s++) {
            assertTrue(printed.contains("== demo [" + s + "/8]"), "stage header " + s + " missing from:\n" + printed);
        }
        assertTrue(printed.contains("step 4/4"), "the trainer's step lines are shown");
        assertTrue(printed.contains("| fra_Latn |") && printed.contains("| **average** |"), "the final table is printed:\n" + printed);

        JsonNode summary = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertEquals("emma4j-demo-results/1", summary.get("format").asText());
        for (String run : List.of("mono", "bilingual")) {
            JsonNode tasks = summary.at("/runs/" + run + "/tasks");
            assertTrue(tasks.has("perplexity") && tasks.has("flores200"), run + " has both tasks: " + tasks);
        }
        for (String run : List.of("mono", "bilingual")) {
            EvalResults r = EvalResults.read(out.resolve("results-" + run + ".json"));
            Map<String, LanguageResult> ppl = new TreeMap<>();
            r.task("perplexity").languages().forEach(l -> ppl.put(l.language(), l));
            assertEquals(List.of("eng_Latn", "fra_Latn"), List.copyOf(ppl.keySet()), run);
            for (LanguageResult l : ppl.values()) {
                double p = l.metrics().get("token_perplexity");
                // A barely trained model: finite, above 1, and not far beyond uniform over the 600 ids.
                assertTrue(Double.isFinite(p) && p > 1 && p < 600 * 3, run + " " + l.language() + " perplexity " + p);
            }
            List<LanguageResult> mt = r.task("flores200").languages();
            assertEquals(1, mt.size(), run + ": translation is scored for French only (English is the pivot)");
            assertEquals("fra_Latn", mt.get(0).language());
            assertEquals(2, mt.get(0).examples(), "the quick plan translates two paragraphs each way");
            for (String m : List.of("eng-x_chrf++", "x-eng_chrf++")) {
                double c = mt.get(0).metrics().get(m);
                assertTrue(c >= 0 && c <= 100, run + " " + m + " = " + c);
            }
        }
        assertEquals(out.resolve("comparison.png"), result.chart());
        BufferedImage png = ImageIO.read(result.chart().toFile());
        assertNotNull(png, "comparison.png is a readable image");
        assertTrue(png.getWidth() > 100 && png.getHeight() > 100);
        assertTrue(Files.readString(out.resolve("comparison.md")).contains("| fra_Latn |"));
        assertTrue(Files.isRegularFile(out.resolve("tokenizer/tokenizer.json")));

        // The held-out paragraphs to translate never occur in the text the tokenizer and the models were trained on.
        List<String> english = Files.readAllLines(out.resolve("eval-data/flores200_dataset/devtest/eng_Latn.devtest"));
        List<String> french = Files.readAllLines(out.resolve("eval-data/flores200_dataset/devtest/fra_Latn.devtest"));
        assertEquals(english.size(), french.size(), "devtest files are line-aligned");
        assertFalse(english.isEmpty());
        String trainingText = Files.readString(out.resolve("tokenizer-text.jsonl"));
        for (String line : english) {
            assertFalse(trainingText.contains(new ObjectMapper().writeValueAsString(line).replace("\"", "")),
                    "held-out paragraph found in training text: " + line);
        }

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UdhrAblation.run(new UdhrAblation.Options(CORPUS, out, DemoPlan.quick(), 7, 2, false), new PrintStream(
                        new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("--force"), e.getMessage());
    }

    @Test
    void alignedKeepsOnlyArticlesWithEqualParagraphCountsInEveryLanguage() {
        UdhrArticles corpus = new UdhrArticles(Map.of(
                "eng_Latn", new TreeMap<>(Map.of(1, "Article 1\nA one.\nA two.", 2, "Article 2\nB one.", 3, "Article 3\nC one.")),
                "fra_Latn", new TreeMap<>(Map.of(1, "Article 1\nUn un.\nUn deux.", 2, "Article 2\nB un.\nB deux.")),
                "deu_Latn", new TreeMap<>(Map.of(1, "Artikel 1\nEins eins.\nEins zwei.", 2, "Artikel 2\nB eins.", 3, "Artikel 3\nC eins."))));
        Map<String, List<String>> a = EvalDataWriter.aligned(corpus, List.of("eng_Latn", "fra_Latn", "deu_Latn"), List.of(1, 2, 3));
        // Article 2 has two French paragraphs but one English; article 3 has no French: both dropped.
        assertEquals(List.of("A one.", "A two."), a.get("eng_Latn"));
        assertEquals(List.of("Un un.", "Un deux."), a.get("fra_Latn"));
        assertEquals(List.of("Eins eins.", "Eins zwei."), a.get("deu_Latn"));
    }
}
