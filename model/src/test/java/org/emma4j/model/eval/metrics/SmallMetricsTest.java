package org.emma4j.model.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** MGSM number matching, corpus perplexity aggregation, acc/acc_norm and Python whitespace, by hand. */
class SmallMetricsTest {

    @Test
    void numberExtractionTakesTheLastNumberAndNormalisesCommas() {
        assertEquals(Optional.of(new BigDecimal("1234")), NumberAnswer.extract("First 12 apples, then 1,234."));
        assertTrue(NumberAnswer.matches("The answer is $1,234.", "1234"));
        assertTrue(NumberAnswer.matches("so she has 18.0 eggs", "18"));
        assertTrue(NumberAnswer.matches("-5", "-5"));
        assertFalse(NumberAnswer.matches("18 eggs, 3 left", "18"));
        assertFalse(NumberAnswer.matches("no idea", "7"));
        assertTrue(NumberAnswer.matches("7 then ...", "7")); // "..." reads as no number, so 7 is the last one
        assertThrows(IllegalArgumentException.class, () -> NumberAnswer.matches("3", "three"));
    }

    /**
     * Two documents: "ab c" (4 bytes, 2 words) with log-likelihood −4 over 3 tokens, and "é " (3 bytes; the
     * trailing space makes the harness count 2 words) with −2 over 1 token. Summed first: −6 over 4 tokens,
     * 7 bytes, 4 words. Averaging the per-document perplexities instead would give a different number, which
     * the last assertion rules out.
     */
    @Test
    void perplexityIsSummedOverTheCorpusBeforeDividing() {
        PerplexityStats p = new PerplexityStats();
        p.add(-4, 3, "ab c");
        p.add(-2, 1, "é ");
        assertEquals(7, p.bytes());
        assertEquals(4, p.words());
        assertEquals(Math.exp(6.0 / 4), p.tokenPerplexity(), 1e-12);
        assertEquals(Math.exp(6.0 / 7), p.bytePerplexity(), 1e-12);
        assertEquals(Math.exp(6.0 / 4), p.wordPerplexity(), 1e-12);
        assertEquals(6.0 / 7 / Math.log(2), p.bitsPerByte(), 1e-12);
        double meanOfDocuments = (Math.exp(4.0 / 3) + Math.exp(2.0 / 1)) / 2;
        assertTrue(Math.abs(meanOfDocuments - p.tokenPerplexity()) > 0.1);
    }

    @Test
    void harnessWordCountIsOnePlusWhitespaceRuns() {
        assertEquals(1, PerplexityStats.harnessWordCount(""));
        assertEquals(3, PerplexityStats.harnessWordCount("a  b\u00a0c"));
        assertEquals(3, PerplexityStats.harnessWordCount(" a b"));
    }

    @Test
    void accNormDividesByTheChoiceLength() {
        // Choice 1 has the higher raw log-likelihood; per character choice 0 wins (−4/8 = −0.5 > −3/2 = −1.5).
        ChoiceScores.Outcome o = ChoiceScores.score(new double[] {-4, -3}, new String[] {"elephant", "ox"}, 0);
        assertEquals(1, o.prediction());
        assertEquals(0, o.normalizedPrediction());
        assertFalse(o.correct());
        assertTrue(o.normalizedCorrect());
        // Ties go to the first choice, as numpy's argmax.
        assertEquals(0, ChoiceScores.score(new double[] {-1, -1}, new String[] {"a", "b"}, 1).prediction());
        // Length in code points: "日本" counts 2 (−2.5/2 = −1.25 < −3/3), not its 6 UTF-8 bytes (which would make it win).
        assertEquals(0, ChoiceScores.score(new double[] {-3, -2.5}, new String[] {"abc", "日本"}, 1).normalizedPrediction());
        assertThrows(IllegalArgumentException.class, () -> ChoiceScores.score(new double[] {-1}, new String[] {""}, 0));
    }

    @Test
    void pythonWhitespace() {
        assertEquals(List.of("a", "b", "c"), PythonStrings.split("\u00a0a\u2003b\u0085c\u001f"));
        assertEquals("x y", PythonStrings.strip(" \u202fx y\u3000\n"));
        assertEquals(2, PythonStrings.length("😀é"));
    }
}
