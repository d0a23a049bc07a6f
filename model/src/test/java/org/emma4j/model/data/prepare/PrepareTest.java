package org.emma4j.model.data.prepare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.emma4j.kernels.TestTensors;
import org.emma4j.model.data.LanguageNames;
import org.emma4j.model.data.SmallTokenizers;
import org.emma4j.model.data.mix.PairTemplate;
import org.emma4j.model.data.shards.ShardIndex;
import org.emma4j.model.tokenizer.Llama3Tokenizer;
import org.emma4j.model.tokenizer.SpecialTokenHandling;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code prepare} end to end on a small mix of all four source types, with a tokenizer trained in the test. */
class PrepareTest {
    @TempDir
    Path dir;

    private long seed;
    private Path tokenizerPath;
    private Llama3Tokenizer tokenizer;
    private PrepareFixture fixture;
    private final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void setUp() throws IOException {
        seed = TestTensors.freshSeed();
        tokenizer = SmallTokenizers.multilingual(dir.resolve("tok"));
        tokenizerPath = Path.of(tokenizer.source());
        fixture = new PrepareFixture(Files.createDirectories(dir.resolve("in")), seed, tokenizer.vocabSize());
    }

    private ShardIndex prepare(Path config, String out, int threads) throws IOException {
        return DataPreparer.run(new PrepareOptions(config, tokenizerPath, dir.resolve(out), false, threads, false, null));
    }

    /** Every input document tokenized independently of the pipeline (pairs as given, default template). */
    private Map<String, Integer> expectedDocuments() {
        Map<String, Integer> docs = new HashMap<>();
        fixture.mono.values().forEach(list -> list.forEach(t -> count(docs, tokenizer.encode(t, SpecialTokenHandling.PLAIN))));
        fixture.text.values().forEach(list -> list.forEach(t -> count(docs, tokenizer.encode(t, SpecialTokenHandling.PLAIN))));
        LanguageNames names = LanguageNames.flores200();
        PairTemplate template = PairTemplate.parse(PairTemplate.DEFAULT);
        for (String[] p : fixture.pairs) {
            String text = template.render(p[0], names.nameOf(p[0]), p[2], p[1], names.nameOf(p[1]), p[3]);
            count(docs, tokenizer.encode(text, SpecialTokenHandling.PLAIN));
        }
        fixture.tokenized.forEach(ids -> count(docs, ids));
        return docs;
    }

    private static void count(Map<String, Integer> m, int[] doc) {
        m.merge(ShardReading.key(doc), 1, Integer::sum);
    }

    private static Map<String, Integer> multiset(List<int[]> docs) {
        Map<String, Integer> m = new HashMap<>();
        docs.forEach(d -> count(m, d));
        return m;
    }

    @Test
    void everyTokenOfEveryDocumentIsPackedExactlyOncePerEpoch() throws IOException {
        // max_epochs 1 with a total far beyond the data: every language is capped at exactly one epoch.
        String yaml = fixture.config(seed, 29, "total_tokens: 1000000000000\nshard_tokens: 600\n", "    max_epochs: 1\n");
        ShardIndex index = prepare(fixture.writeConfig("mix.yaml", yaml), "out", 2);
        List<int[]> packed = ShardReading.documents(dir.resolve("out"), "train");
        assertEquals(expectedDocuments(), multiset(packed), "seed " + seed);
        assertTrue(index.splits().get("train").shards().size() > 1, "small shard_tokens should give several shards");
        assertEquals(0, index.splits().get("validation").sequences());
        // And with 2.5 epochs: every document twice or three times, the third copies a seeded half.
        String yaml25 = fixture.config(seed, 29, "total_tokens: 1000000000000\n", "    max_epochs: 2.5\n");
        prepare(fixture.writeConfig("mix25.yaml", yaml25), "out25", 2);
        Map<String, Integer> copies = multiset(ShardReading.documents(dir.resolve("out25"), "train"));
        Map<String, Integer> expected = expectedDocuments();
        assertEquals(expected.keySet(), copies.keySet(), "seed " + seed);
        for (Map.Entry<String, Integer> e : copies.entrySet()) {
            int base = expected.get(e.getKey());
            assertTrue(e.getValue() == 2 * base || e.getValue() == 2 * base + 1 || e.getValue() == 3 * base,
                    "seed " + seed + ": a document occurring " + base + " times in the input was packed " + e.getValue() + " times");
        }
    }

    @Test
    void rerunsAreByteIdenticalWhateverTheThreadsAndAnotherSeedChangesTheOrder() throws IOException {
        String yaml = fixture.config(seed, 16, "heldout:\n  documents_per_language: 1\nshard_tokens: 400\n", "    alpha: 0.5\n");
        Path config = fixture.writeConfig("mix.yaml", yaml);
        prepare(config, "a", 1);
        prepare(config, "b", 3);
        Map<String, byte[]> a = files(dir.resolve("a"));
        Map<String, byte[]> b = files(dir.resolve("b"));
        assertEquals(a.keySet(), b.keySet());
        assertTrue(a.keySet().containsAll(List.of("index.json", "stats.json", "mix.yaml", "train-00000.bin", "validation-00000.bin")),
                a.keySet().toString());
        assertFalse(a.keySet().stream().anyMatch(n -> n.contains("scratch")), "no scratch files left: " + a.keySet());
        for (String name : a.keySet()) {
            assertArrayEquals(a.get(name), b.get(name), name + " differs between runs, seed " + seed);
        }
        Path other = fixture.writeConfig("mix2.yaml", yaml.replace("seed: " + seed, "seed: " + (seed + 1)));
        prepare(other, "c", 2);
        List<int[]> docsA = ShardReading.documents(dir.resolve("a"), "train");
        List<int[]> docsC = ShardReading.documents(dir.resolve("c"), "train");
        List<String> orderA = docsA.stream().map(ShardReading::key).toList();
        List<String> orderC = docsC.stream().map(ShardReading::key).toList();
        assertNotEquals(orderA, orderC, "another seed should shuffle differently");
    }

    @Test
    void heldOutRecordsAreDisjointFromTrainingAndCountedPerLanguage() throws IOException {
        String yaml = fixture.config(seed, 24, "heldout:\n  documents_per_language: 2\ntotal_tokens: 1000000000000\n",
                "    max_epochs: 1\n").replace("type: bilingual\n", "type: bilingual\n    direction: both\n");
        prepare(fixture.writeConfig("mix.yaml", yaml), "out", 2);
        Map<String, Integer> train = multiset(ShardReading.documents(dir.resolve("out"), "train"));
        Map<String, Integer> validation = multiset(ShardReading.documents(dir.resolve("out"), "validation"));
        for (String doc : validation.keySet()) {
            assertFalse(train.containsKey(doc), "seed " + seed + ": a held-out document is also in training");
        }
        JsonNode stats = json.readTree(dir.resolve("out/stats.json").toFile());
        int heldDocs = 0;
        for (JsonNode source : stats.get("sources")) {
            for (Map.Entry<String, JsonNode> lang : source.get("languages").properties()) {
                JsonNode l = lang.getValue();
                assertEquals(Math.min(2, l.get("records").asInt() - 1), l.get("heldout_records").asInt(), source.get("name") + " " + lang.getKey());
                if (source.get("name").asText().equals("pairs")) {
                    assertEquals(2 * l.get("heldout_records").asInt(), l.get("heldout_documents").asInt(),
                            "both directions of a held-out pair are held out together");
                }
                heldDocs += l.get("heldout_documents").asInt();
            }
        }
        assertEquals(heldDocs, validation.values().stream().mapToInt(Integer::intValue).sum());
    }

    @Test
    void randomDirectionIsAFairSeededCoinPerPair() throws IOException {
        StringBuilder pairs = new StringBuilder();
        int n = 2000;
        for (int i = 0; i < n; i++) {
            pairs.append("{\"src_lang\":\"eng_Latn\",\"tgt_lang\":\"fra_Latn\",\"src_text\":\"a").append(i)
                    .append("\",\"tgt_text\":\"b").append(i).append("\"}\n");
        }
        Files.writeString(fixture.dir.resolve("many.jsonl"), pairs);
        String yaml = "seed: " + seed + "\nseq_len: 64\nsources:\n  - name: p\n    type: bilingual\n    paths: [many.jsonl]\n"
                + "    weight: 1\n    direction: random\n    template: '{src_lang}>{tgt_lang}|'\n";
        prepare(fixture.writeConfig("r.yaml", yaml), "r", 2);
        int reversed = 0;
        for (int[] doc : ShardReading.documents(dir.resolve("r"), "train")) {
            String text = tokenizer.decode(doc);
            assertTrue(text.equals("eng_Latn>fra_Latn|") || text.equals("fra_Latn>eng_Latn|"), text);
            reversed += text.startsWith("fra") ? 1 : 0;
        }
        // Binomial(2000, 1/2): mean 1000, sd 22.4; 5 sd either side fails by chance with probability < 1e-6.
        assertTrue(Math.abs(reversed - n / 2.0) < 5 * Math.sqrt(n / 4.0), "seed " + seed + ": " + reversed + " of " + n + " reversed");
    }

    @Test
    void realisedLanguageTokensMatchTheTemperaturePlanWithinHalfADocument() throws IOException {
        String yaml = fixture.config(seed, 32, "total_tokens: 60000\n", "    alpha: 0.3\n    max_epochs: 6\n");
        prepare(fixture.writeConfig("mix.yaml", yaml), "out", 2);
        JsonNode stats = json.readTree(dir.resolve("out/stats.json").toFile());
        long total = 0;
        for (JsonNode source : stats.get("sources")) {
            long sourceTokens = 0;
            for (Map.Entry<String, JsonNode> lang : source.get("languages").properties()) {
                JsonNode l = lang.getValue();
                long available = l.get("available_train_tokens").asLong();
                double target = l.get("target_tokens").asDouble();
                long got = l.get("train_tokens").asLong();
                // Tolerance: the remainder is filled with whole documents, stopping within half a document;
                // no single document here exceeds 400 tokens (60 words), so |got - target| <= 200 + rounding.
                assertTrue(Math.abs(got - target) <= 201, "seed " + seed + " " + source.get("name") + "/" + lang.getKey()
                        + ": target " + target + ", got " + got);
                assertTrue(got <= 6 * available, "max_epochs exceeded");
                sourceTokens += got;
            }
            assertEquals(sourceTokens, source.get("train_tokens").asLong());
            total += sourceTokens;
        }
        assertEquals(total, stats.get("totals").get("train_tokens").asLong());
    }

    private static Map<String, byte[]> files(Path d) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> s = Files.list(d)) {
            for (Path p : s.toList()) {
                out.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        return out;
    }
}
