package org.emma4j.model.data.udhr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.emma4j.model.data.LanguageNames;
import org.emma4j.model.data.io.ByteLineReader;
import org.emma4j.model.data.io.CompressedInput;
import org.emma4j.model.data.io.StrictUtf8;
import org.emma4j.model.data.mix.MixConfig;
import org.emma4j.model.data.mix.MixConfigReader;
import org.emma4j.model.data.mix.SourceType;
import org.junit.jupiter.api.Test;

/** The corpus shipped in data/udhr: well-formed, attributed, held-out articles apart, and its mixes valid. */
class BundledCorpusTest {
    /** Tests run in the model module; the corpus is at the repository root. */
    private static final Path UDHR = Path.of("..", "data", "udhr").toAbsolutePath().normalize();

    private interface LineCheck {
        void check(JsonNode line, String where);
    }

    private static int forEachLine(Path file, LineCheck check) throws IOException {
        ObjectMapper json = new ObjectMapper();
        StrictUtf8 utf8 = new StrictUtf8();
        int n = 0;
        try (ByteLineReader lines = new ByteLineReader(CompressedInput.open(file))) {
            while (lines.next()) {
                String where = file.getFileName() + ":" + lines.lineNumber();
                check.check(json.readTree(utf8.decode(lines.bytes(), lines.length(), file.toString(), lines.lineNumber())), where);
                n++;
            }
        }
        return n;
    }

    @Test
    void corpusFilesAreWellFormedWithArticles27To30HeldOut() throws IOException {
        Path corpus = UDHR.resolve("corpus");
        assertTrue(Files.readString(corpus.resolve("LICENSE-udhr")).contains("MIT License"));
        assertTrue(Files.readString(corpus.resolve("ATTRIBUTION.md")).contains("articles 27 to 30"));
        Set<String> listed = new HashSet<>();
        for (String line : Files.readAllLines(corpus.resolve("languages.tsv"))) {
            if (!line.startsWith("#")) {
                listed.add(line.split("\t")[0]);
            }
        }
        assertTrue(listed.size() > 400, "hundreds of languages: " + listed.size());
        Set<String> seen = new HashSet<>();
        for (String split : List.of("train", "heldout")) {
            boolean held = split.equals("heldout");
            int mono = forEachLine(corpus.resolve("mono/" + split + ".jsonl.zst"), (d, where) -> {
                String lang = d.get("lang").asText();
                assertTrue(LanguageNames.CODE_SHAPE.matcher(lang).matches() && listed.contains(lang), where + ": " + lang);
                int article = d.get("article").asInt();
                assertEquals(held, article >= 27 && article <= 30, where + ": article " + article + " in " + split);
                assertTrue(!d.get("text").asText().isBlank(), where);
                seen.add(lang);
            });
            int pairs = forEachLine(corpus.resolve("bilingual/" + split + ".jsonl.zst"), (d, where) -> {
                assertEquals("eng_Latn", d.get("src_lang").asText(), where);
                assertTrue(listed.contains(d.get("tgt_lang").asText()), where);
                int article = d.get("article").asInt();
                assertEquals(held, article >= 27 && article <= 30, where);
                assertTrue(!d.get("src_text").asText().isBlank() && !d.get("tgt_text").asText().isBlank(), where);
            });
            assertTrue(mono > (held ? 1000 : 10000) && pairs > (held ? 1000 : 10000), split + ": " + mono + " documents, " + pairs + " pairs");
        }
        assertEquals(listed, seen, "languages.tsv lists exactly the corpus's languages");
    }

    @Test
    void bundledMixesAreValidConfigs() throws IOException {
        MixConfig mono = MixConfigReader.read(UDHR.resolve("mix-mono.yaml"));
        assertEquals(1, mono.sources().size());
        assertEquals(SourceType.MONOLINGUAL, mono.sources().get(0).type());
        MixConfig bi = MixConfigReader.read(UDHR.resolve("mix-bilingual.yaml"));
        assertEquals(List.of(SourceType.MONOLINGUAL, SourceType.BILINGUAL), bi.sources().stream().map(s -> s.type()).toList());
        assertEquals("[{src_name}]: {src_text}\n[{tgt_name}]: {tgt_text}", bi.sources().get(1).template().source());
        assertTrue(Files.isRegularFile(bi.sources().get(1).languageNames()));
    }
}
