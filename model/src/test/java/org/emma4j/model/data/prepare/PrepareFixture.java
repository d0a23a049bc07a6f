package org.emma4j.model.data.prepare;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.emma4j.model.data.TestCorpora;

/**
 * Input files for prepare tests, with the documents they hold (to compare against): monolingual JSON Lines
 * (gzip) in several languages of very different sizes, plain-text files (zstd, paragraphs), translation
 * pairs and pre-tokenized documents.
 */
final class PrepareFixture {
    /** Texts of the monolingual source by language. */
    final Map<String, List<String>> mono = new LinkedHashMap<>();
    /** Paragraphs of the text source by language. */
    final Map<String, List<String>> text = new LinkedHashMap<>();
    /** {src_lang, tgt_lang, src_text, tgt_text}. */
    final List<String[]> pairs = new ArrayList<>();
    final List<int[]> tokenized = new ArrayList<>();
    final Path dir;

    PrepareFixture(Path dir, long seed, int vocabSize) throws IOException {
        this.dir = dir;
        SplittableRandom rnd = new SplittableRandom(seed);
        ObjectMapper json = new ObjectMapper();
        String[] langs = {"fra_Latn", "eng_Latn", "rus_Cyrl", "zho_Hans"};
        int[] sizes = {60 + rnd.nextInt(20), 25 + rnd.nextInt(10), 8, 3};
        StringBuilder lines = new StringBuilder();
        for (int l = 0; l < langs.length; l++) {
            List<String> docs = new ArrayList<>();
            for (int i = 0; i < sizes[l]; i++) {
                docs.add(TestCorpora.text(rnd, 2 + rnd.nextInt(60)));
            }
            mono.put(langs[l], docs);
        }
        // Interleave languages in the file, as real dumps do.
        List<String[]> all = new ArrayList<>();
        mono.forEach((lang, docs) -> docs.forEach(d -> all.add(new String[] {lang, d})));
        for (int i = all.size() - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            String[] t = all.get(i);
            all.set(i, all.get(j));
            all.set(j, t);
        }
        for (String[] d : all) {
            ObjectNode o = json.createObjectNode();
            o.put("text", d[1]);
            o.put("lang", d[0]);
            o.put("id", rnd.nextInt());
            lines.append(json.writeValueAsString(o)).append('\n');
        }
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("mono.jsonl.gz")))) {
            out.write(lines.toString().getBytes(StandardCharsets.UTF_8));
        }
        for (String lang : new String[] {"deu_Latn", "swh_Latn"}) {
            List<String> paragraphs = new ArrayList<>();
            StringBuilder file = new StringBuilder();
            int n = lang.equals("deu_Latn") ? 12 : 4;
            for (int i = 0; i < n; i++) {
                String p = TestCorpora.text(rnd, 3 + rnd.nextInt(30)).replaceAll("\n+", "\n").strip();
                paragraphs.add(p);
                file.append(p).append(rnd.nextBoolean() ? "\n\n" : "\n \n\n");
            }
            text.put(lang, paragraphs);
            try (OutputStream out = new ZstdOutputStream(Files.newOutputStream(dir.resolve(lang + ".txt.zst")), 3)) {
                out.write(file.toString().getBytes(StandardCharsets.UTF_8));
            }
        }
        StringBuilder pairLines = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            String tgt = i % 3 == 0 ? "deu_Latn" : "fra_Latn";
            String[] p = {"eng_Latn", tgt, TestCorpora.text(rnd, 2 + rnd.nextInt(20)), TestCorpora.text(rnd, 2 + rnd.nextInt(20))};
            pairs.add(p);
            ObjectNode o = json.createObjectNode();
            o.put("src_lang", p[0]);
            o.put("tgt_lang", p[1]);
            o.put("src_text", p[2]);
            o.put("tgt_text", p[3]);
            pairLines.append(json.writeValueAsString(o)).append('\n');
        }
        Files.writeString(dir.resolve("pairs.jsonl"), pairLines);
        StringBuilder tok = new StringBuilder();
        for (int i = 0; i < 15; i++) {
            int[] ids = new int[1 + rnd.nextInt(40)];
            for (int k = 0; k < ids.length; k++) {
                ids[k] = rnd.nextInt(vocabSize - 10);
            }
            tokenized.add(ids);
            tok.append("{\"input_ids\": ").append(java.util.Arrays.toString(ids)).append("}\n");
        }
        Files.writeString(dir.resolve("tokenized.jsonl"), tok);
    }

    /** A mix of all four sources; {@code extra} is spliced into every source (such as max_epochs). */
    String config(long seed, int seqLen, String top, String perSource) {
        return "seed: " + seed + "\nseq_len: " + seqLen + "\n" + top
                + "sources:\n"
                + "  - name: mono\n    type: monolingual\n    paths: [mono.jsonl.gz]\n    weight: 26\n" + perSource
                + "  - name: text\n    type: text\n    paths: ['*.txt.zst']\n    weight: 10\n" + perSource
                + "  - name: pairs\n    type: bilingual\n    paths: [pairs.jsonl]\n    weight: 32\n" + perSource
                + "  - name: tok\n    type: tokenized\n    paths: [tokenized.jsonl]\n    lang: code\n    weight: 15\n" + perSource;
    }

    Path writeConfig(String name, String yaml) throws IOException {
        return Files.writeString(dir.resolve(name), yaml);
    }
}
