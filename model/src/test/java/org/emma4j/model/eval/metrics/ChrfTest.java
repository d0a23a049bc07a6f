package org.emma4j.model.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * chrF against sacreBLEU's own published cases, copied from mjpost/sacrebleu test/test_chrf.py (v2.x), with
 * the tolerance that test uses (1e-4 on the 0..100 score); chrF++ against a hand-computed example, since
 * sacreBLEU publishes no small chrF++ case.
 */
class ChrfTest {

    private static double corpus(List<String> hyps, List<String> refs, Chrf.Options o) {
        return Chrf.corpus(hyps, List.of(refs), o);
    }

    private static final Chrf.Options BETA3 = Chrf.Options.chrf().withBeta(3);

    @Test
    void epsilonSmoothingCases() {
        // test_cases: char_order=6, word_order=0, beta=3, eps_smoothing=True
        Object[][] cases = {
                {List.of("abcdefg"), List.of("hijklmnop"), 0.0},
                {List.of("a"), List.of("b"), 0.0},
                {List.of(""), List.of("b"), 0.0},
                {List.of(""), List.of("ref"), 0.0},
                {List.of(""), List.of("reference"), 0.0},
                {List.of("aa"), List.of("ab"), 8.3333},
                {List.of("a", "b"), List.of("a", "c"), 8.3333},
                {List.of("a"), List.of("a"), 16.6667},
                {List.of("a b c"), List.of("a b c"), 50.0},
                {List.of("a b c"), List.of("abc"), 50.0},
                {List.of(" risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists ."),
                        List.of("risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists ."),
                        63.361730},
                {List.of(" Die    Beziehung zwischen  Obama und Netanjahu ist nicht gerade  freundlich. "),
                        List.of("Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich."), 64.1302698},
                {List.of("Niemand hat die Absicht, eine Mauer zu errichten"), List.of("Niemand hat die Absicht, eine Mauer zu errichten"), 100.0},
        };
        for (Object[] c : cases) {
            @SuppressWarnings("unchecked")
            double score = corpus((List<String>) c[0], (List<String>) c[1], BETA3.withEpsSmoothing(true));
            assertEquals((double) c[2], score, 1e-4, () -> c[0] + " vs " + c[1]);
        }
    }

    @Test
    void effectiveOrderCases() {
        // test_cases_effective_order: the sacreBLEU < 2.0 averaging, eps_smoothing=False (sacreBLEU's default)
        Object[][] cases = {
                {List.of("a"), List.of("a"), 100.0},
                {List.of(""), List.of("reference"), 0.0},
                {List.of("a b c"), List.of("a b c"), 100.0},
                {List.of("a b c"), List.of("abc"), 100.0},
                {List.of(""), List.of("c"), 0.0},
                {List.of("a", "b"), List.of("a", "c"), 50.0},
                {List.of("aa"), List.of("ab"), 25.0},
        };
        for (Object[] c : cases) {
            @SuppressWarnings("unchecked")
            double score = corpus((List<String>) c[0], (List<String>) c[1], BETA3);
            assertEquals((double) c[2], score, 1e-4, () -> c[0] + " vs " + c[1]);
        }
    }

    @Test
    void keepingWhitespace() {
        // test_cases_keep_whitespace (remove_whitespace=False)
        assertEquals(67.3481606, corpus(List.of("Die Beziehung zwischen Obama und Netanjahu ist nicht gerade freundlich."),
                List.of("Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich."), BETA3.withWhitespace(true)), 1e-4);
        assertEquals(65.2414427, corpus(
                List.of("risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists ."),
                List.of("risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists ."),
                BETA3.withWhitespace(true)), 1e-4);
    }

    @Test
    void sentenceLevel() {
        // test_sentence_level_chrf: sentence_chrf with default orders and beta 2, eps_smoothing=True
        Chrf.Options o = Chrf.Options.chrf().withEpsSmoothing(true);
        assertEquals(39.14078509, Chrf.sentence("Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo zemře.",
                List.of("Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, kdo bude žít a kdo zemře."), o), 1e-4);
        assertEquals(31.22557079, Chrf.sentence("Nebo prostě nemají vybavení, které by jim pomohlo, uvedli lékaři.",
                List.of("A někdy nemáme ani potřebný materiál, abychom jim pomohli, popsali lékaři."), o), 1e-4);
        assertEquals(57.15704367, Chrf.sentence("Lapali po dechu, jejich životy skončily dřív, než skutečně začaly.",
                List.of("Lapali po dechu a pak jejich život skončil - dřív, než skutečně mohl začít, připomněli."), o), 1e-4);
    }

    /**
     * Hand-computed. Hypothesis "a b." against reference "a c d.", whitespace removed: "ab." vs "acd.".
     * Characters: order 1 → 3 hyp, 4 ref, 2 matches (a, .): P 2/3, R 1/2; orders 2 and 3 → no matches (2 vs 3 and 1
     * vs 2 n-grams); orders 4–6 have no hypothesis n-grams and do not count. Words with punctuation split off:
     * [a, b, .] vs [a, c, d, .]: unigrams P 2/3, R 1/2; bigrams 2 vs 3, no match.
     * chrF: 3 effective orders, P̄ = 2/9, R̄ = 1/6, F2 = 5·P̄·R̄/(4·P̄+R̄) = 10/57.
     * chrF++: 5 effective orders, P̄ = 4/15, R̄ = 1/5, F2 = 4/19.
     */
    @Test
    void handComputedChrfAndChrfPlusPlus() {
        assertEquals(100.0 * 10 / 57, Chrf.sentence("a b.", List.of("a c d."), Chrf.Options.chrf()), 1e-9);
        assertEquals(100.0 * 4 / 19, Chrf.sentence("a b.", List.of("a c d."), Chrf.Options.chrfPlusPlus()), 1e-9);
    }

    @Test
    void punctuationIsSplitFromOneEndOfAWord() {
        // sacreBLEU's _remove_punctuation, including its issue #124 behaviour: '(hi)' -> '(hi' and ')'
        assertEquals(List.of("(hi", ")", "\"", "quote", "x", ",", "a"), Chrf.splitPunctuation("(hi) \"quote x, a"));
    }

    @Test
    void multipleReferencesTakeTheBestPerSegment() {
        // The better reference wins per segment: against an identical reference the score is 100.
        assertEquals(100.0, Chrf.corpus(List.of("the cat"), List.of(List.of("a dog"), List.of("the cat")), Chrf.Options.chrfPlusPlus()), 1e-9);
        assertEquals(100.0, Chrf.corpus(List.of("the cat"), List.of(List.of("the cat"), List.of("a dog")), Chrf.Options.chrfPlusPlus()), 1e-9);
    }
}
