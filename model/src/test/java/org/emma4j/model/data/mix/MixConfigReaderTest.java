package org.emma4j.model.data.mix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mix configs: every field read, defaults, globs sorted, and mistakes named with where they are. */
class MixConfigReaderTest {
    @TempDir
    Path dir;

    private Path write(String yaml) throws IOException {
        return Files.writeString(dir.resolve("mix.yaml"), yaml);
    }

    @Test
    void readsEveryFieldAndExpandsGlobsInSortedOrder() throws IOException {
        Files.createDirectories(dir.resolve("d/sub"));
        for (String f : List.of("d/b.jsonl", "d/a.jsonl", "d/sub/c.jsonl", "d/x.txt", "names.tsv")) {
            Files.writeString(dir.resolve(f), "");
        }
        MixConfig c = MixConfigReader.read(write("""
                seed: 7
                seq_len: 128
                bos: document_start
                dtype: int32
                total_tokens: 1000
                shard_tokens: 4096
                heldout: {fraction: 0.25}
                sources:
                  - name: pairs
                    type: bilingual
                    paths: ["d/**.jsonl"]
                    weight: 32
                    alpha: 0.3
                    max_epochs: 2.5
                    direction: both
                    template: "{src_text} => {tgt_text}"
                    languages: [eng_Latn-fra_Latn]
                    language_names: names.tsv
                    allow_unknown_languages: true
                  - name: t
                    type: text
                    paths: [d/x.txt]
                    tokens: 100
                    lang: code
                    document_per: line
                """));
        assertEquals(7, c.seed());
        assertEquals(129, c.sequenceTokens());
        assertEquals(BosPolicy.DOCUMENT_START, c.bos());
        assertEquals(TokenDType.INT32, c.dtype());
        assertEquals(1000L, c.totalTokens());
        assertEquals(4096, c.shardTokens());
        assertEquals(25, c.heldout().count(100));
        SourceConfig p = c.sources().get(0);
        assertEquals(List.of(dir.resolve("d/a.jsonl"), dir.resolve("d/b.jsonl"), dir.resolve("d/sub/c.jsonl")), p.files());
        assertEquals(32.0, p.weight());
        assertNull(p.tokens());
        assertEquals(0.3, p.alpha());
        assertEquals(2.5, p.maxEpochs());
        assertEquals(PairDirection.BOTH, p.direction());
        assertEquals("a => b", p.template().render("x", "X", "a", "y", "Y", "b"));
        assertEquals(java.util.Set.of("eng_Latn-fra_Latn"), p.languages());
        assertTrue(p.allowUnknownLanguages());
        SourceConfig t = c.sources().get(1);
        assertEquals(100L, t.tokens());
        assertEquals("code", t.lang());
        assertEquals(TextUnit.LINE, t.documentPer());
        assertEquals(1.0, t.alpha());
        assertNull(t.maxEpochs());
    }

    @Test
    void mistakesAreNamedWithTheirPlace() throws IOException {
        Files.writeString(dir.resolve("in.jsonl"), "");
        String base = "seq_len: 8\nsources:\n  - name: s\n    type: monolingual\n    paths: [in.jsonl]\n";
        String[][] cases = {
            {base + "    wieght: 1\n", "mix.yaml: sources[0]: unknown field 'wieght'"},
            {base, "mix.yaml: sources[0]: weight or tokens: exactly one of them is needed"},
            {base + "    weight: 1\n    tokens: 5\n", "exactly one"},
            {base.replace("seq_len: 8\n", "") + "    weight: 1\n", "mix.yaml: seq_len is required"},
            {base + "    weight: -1\n", "weight must be positive"},
            {base + "    weight: 1\n    direction: both\n", "direction does not apply to a source of type monolingual"},
            {base.replace("monolingual", "bilingual") + "    weight: 1\n    template: '{src}'\n", "unknown placeholder {src}"},
            {base.replace("in.jsonl", "missing.jsonl") + "    weight: 1\n", "no such file"},
            {base.replace("in.jsonl", "'*.gz'") + "    weight: 1\n", "matches no file"},
            {base.replace("monolingual", "poem") + "    weight: 1\n", "type must be one of monolingual, text, bilingual, tokenized"},
            {base + "    weight: 1\n  - name: s\n    type: text\n    paths: [in.jsonl]\n    weight: 1\n", "'s' is used by two sources"},
            {"seq_len: 8\nseq_len: 9\nsources: []\n", "not valid YAML"},
            {base + "    weight: 1\nheldout: {fraction: 1.5}\n", "heldout.fraction must be in [0, 1)"},
            {base + "    weight: [1]\n", "weight must be a number"},
        };
        for (String[] c : cases) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MixConfigReader.read(write(c[0])), c[1]);
            assertTrue(e.getMessage().contains(c[1]), "expected '" + c[1] + "' in: " + e.getMessage());
        }
    }
}
