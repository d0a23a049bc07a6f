package org.emma4j.model.data.prepare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.emma4j.kernels.TestTensors;
import org.emma4j.model.data.SmallTokenizers;
import org.emma4j.model.tokenizer.Llama3Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mixing in the written shards: languages of 400, 100 and 25 documents of 10 tokens each (n = 4000, 1000,
 * 250), alpha 0.5, max_epochs 1.5, total 3500 tokens. By hand: weights sqrt(n) = 63.2 : 31.6 : 15.8, so the
 * smallest would get 3500 x 15.8 / 110.7 = 500 tokens, 2 epochs, over its cap: it is capped at 375 and the
 * other two share 3125 as 2 : 1, i.e. 2083.3 and 1041.7 tokens. Documents are whole, so each language lands
 * within half a document (5 tokens) of its target. The order must mix languages evenly: a chi-square test
 * of language counts over ten consecutive chunks of the stream.
 */
class MixingTest {
    @TempDir
    Path dir;

    @Test
    void proportionsFollowThePlanAndTheStreamIsWellMixed() throws IOException {
        long seed = TestTensors.freshSeed();
        Llama3Tokenizer tok = SmallTokenizers.multilingual(dir.resolve("tok"));
        String[] langs = {"fra_Latn", "deu_Latn", "swh_Latn"};
        int[] docs = {400, 100, 25};
        SplittableRandom rnd = new SplittableRandom(seed);
        StringBuilder lines = new StringBuilder();
        for (int l = 0; l < 3; l++) {
            for (int d = 0; d < docs[l]; d++) {
                // The first id names the language; the rest are random (ten ids in all).
                StringBuilder ids = new StringBuilder().append(100 + l);
                for (int k = 1; k < 10; k++) {
                    ids.append(',').append(200 + rnd.nextInt(300));
                }
                lines.append("{\"lang\":\"").append(langs[l]).append("\",\"input_ids\":[").append(ids).append("]}\n");
            }
        }
        Files.writeString(dir.resolve("t.jsonl"), lines);
        Path config = Files.writeString(dir.resolve("mix.yaml"), "seed: " + seed + "\nseq_len: 20\ntotal_tokens: 3500\nsources:\n"
                + "  - name: t\n    type: tokenized\n    paths: [t.jsonl]\n    weight: 1\n    alpha: 0.5\n    max_epochs: 1.5\n");
        DataPreparer.run(new PrepareOptions(config, Path.of(tok.source()), dir.resolve("out"), false, 2, false, null));

        JsonNode stats = new ObjectMapper().readTree(dir.resolve("out/stats.json").toFile()).get("sources").get(0).get("languages");
        double[] expected = {3125.0 * 2 / 3, 3125.0 / 3, 375};
        for (int l = 0; l < 3; l++) {
            long got = stats.get(langs[l]).get("train_tokens").asLong();
            assertTrue(Math.abs(got - expected[l]) <= 5, "seed " + seed + " " + langs[l] + ": " + got + " tokens, expected "
                    + expected[l] + " +- 5");
        }

        List<int[]> stream = ShardReading.documents(dir.resolve("out"), "train");
        int chunks = 10;
        long[][] table = new long[chunks][3];
        long[] perLang = new long[3];
        for (int i = 0; i < stream.size(); i++) {
            int l = stream.get(i)[0] - 100;
            table[(int) ((long) i * chunks / stream.size())][l]++;
            perLang[l]++;
        }
        for (int l = 0; l < 3; l++) {
            assertEquals(stats.get(langs[l]).get("train_documents").asLong(), perLang[l], "documents of " + langs[l]);
        }
        double chi2 = 0;
        for (int c = 0; c < chunks; c++) {
            long rowTotal = 0;
            for (long v : table[c]) {
                rowTotal += v;
            }
            for (int l = 0; l < 3; l++) {
                double e = (double) rowTotal * perLang[l] / stream.size();
                chi2 += (table[c][l] - e) * (table[c][l] - e) / e;
            }
        }
        // (10 - 1) x (3 - 1) = 18 degrees of freedom; the 1e-4 upper quantile (Wilson-Hilferty) is about 45.
        int dof = 18;
        double z = 3.719;
        double critical = dof * Math.pow(1 - 2.0 / (9 * dof) + z * Math.sqrt(2.0 / (9 * dof)), 3);
        assertTrue(chi2 < critical, "seed " + seed + ": chi-square " + chi2 + " >= " + critical + ", languages are not well mixed");
    }
}
