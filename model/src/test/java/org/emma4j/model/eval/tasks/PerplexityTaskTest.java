package org.emma4j.model.eval.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Perplexity on the .txt and .jsonl fixtures with the fake's −2 nats per character, one token per character. */
class PerplexityTaskTest {

    /**
     * deu_Latn.txt: "Alle Menschen sind frei." (24 characters, 4 words) and, after a blank line that is skipped, "Sie sind
     * mit Vernunft begabt." (29 characters, 5 words). Log-likelihood −106 over 53 tokens and 53 bytes, 9 words.
     */
    @Test
    void textFileDocumentsAreLines() throws Exception {
        LanguageResult r = new PerplexityTask().evaluate(new ScriptedEvalModel(), "deu_Latn", Fixtures.context());
        assertEquals(2, r.examples());
        assertEquals(Math.exp(2), r.metrics().get("token_perplexity"), 1e-12);
        assertEquals(Math.exp(2), r.metrics().get("byte_perplexity"), 1e-12);
        assertEquals(Math.exp(106.0 / 9), r.metrics().get("word_perplexity"), 1e-9);
        assertEquals(2 / Math.log(2), r.metrics().get("bits_per_byte"), 1e-12);
    }

    @Test
    void jsonLinesDocumentsAreTheTextField() throws Exception {
        // "All human beings are born free." (31 chars, 6 words) and "They are endowed with reason." (29 chars, 5 words).
        LanguageResult r = new PerplexityTask().evaluate(new ScriptedEvalModel(), "eng_Latn", Fixtures.context());
        assertEquals(Math.exp(120.0 / 11), r.metrics().get("word_perplexity"), 1e-9);
        assertEquals(List.of("deu_Latn", "eng_Latn"), new PerplexityTask().languages(Fixtures.dir()));
    }
}
