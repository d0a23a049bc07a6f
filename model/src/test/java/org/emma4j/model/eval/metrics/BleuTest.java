package org.emma4j.model.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * BLEU against sacreBLEU's own published test cases, copied from mjpost/sacrebleu test/test_bleu.py and
 * test/test_sentence_bleu.py (v2.x). Cases using the "intl" tokenizer, which emma4j does not implement, are
 * left out. Tolerances are the ones those tests use: 1e-8 on BLEU/100 for corpus cases, 1e-3 on BLEU for
 * sentence cases, two printed decimals for the max-order cases.
 */
class BleuTest {

    private static final Bleu.Options DEFAULT = Bleu.Options.sacreBleuDefault();

    /** sacreBLEU's raw_corpus_bleu: no tokenization, floor smoothing with the given value, effective order. */
    private static double raw(List<String> hyps, List<List<String>> refs, Double floor) {
        return Bleu.corpus(hyps, refs, DEFAULT.withTokenizer(BleuTokenizer.NONE).withSmoothing(Bleu.Smoothing.FLOOR, floor)
                .withEffectiveOrder(true)).score() / 100;
    }

    // test_bleu.py: the README example with three hypotheses and two reference streams.
    private static final List<List<String>> REFS = List.of(
            List.of("The dog bit the man.", "It was not unexpected.", "The man bit him first."),
            List.of("The dog had bit the man.", "No one was surprised.", "The man had bitten the dog."));
    private static final List<String> HYPS = List.of("The dog bit the man.", "It wasn't surprising.", "The man had just bitten him.");

    @Test
    void rawCorpusBleu() {
        // test_raw_bleu_cases (smooth value 0.01)
        assertEquals(0.0, raw(List.of("this is a test", "another test"), List.of(List.of("ref1", "ref2")), 0.01), 1e-8);
        assertEquals(1.0, raw(List.of("this is a test"), List.of(List.of("this is a test")), 0.01), 1e-8);
        assertEquals(0.223606797749979, raw(List.of("this is a fest"), List.of(List.of("this is a test")), 0.01), 1e-8);
    }

    @Test
    void corpusBleuWithDefaultsAndVariants() {
        // test_corpus_bleu_cases
        assertEquals(48.530827, Bleu.corpus(HYPS, REFS, DEFAULT).score(), 1e-6);
        assertEquals(0.0, Bleu.corpus(List.of("", "", ""), REFS, DEFAULT).score(), 1e-8);
        assertEquals(49.1919566, Bleu.corpus(HYPS, REFS, DEFAULT.withTokenizer(BleuTokenizer.NONE)).score(), 1e-6);
        assertEquals(48.530827, Bleu.corpus(HYPS, REFS, DEFAULT.withTokenizer(BleuTokenizer.THIRTEEN_A)).score(), 1e-6);
        assertEquals(48.530827, Bleu.corpus(HYPS, REFS, DEFAULT.withSmoothing(Bleu.Smoothing.NONE, null)).score(), 1e-6);
    }

    @Test
    void effectiveOrder() {
        // test_case_effective_order
        assertEquals(0.3678794411714425, raw(List.of("test"), List.of(List.of("a test")), 0.01), 1e-8);
        assertEquals(1.0, raw(List.of("a test"), List.of(List.of("a test")), 0.01), 1e-8);
        assertEquals(0.03218297948685433, raw(List.of("a little test"), List.of(List.of("a test")), 0.01), 1e-8);
    }

    @Test
    void matchStatistics() {
        // test_case_statistics: counts [4, 2, 1, 0], totals [6, 5, 4, 3]
        BleuScore s = Bleu.corpus(List.of("am I am a character sequence"), List.of(List.of("I am a symbol string sequence a a")),
                DEFAULT.withTokenizer(BleuTokenizer.NONE).withSmoothing(Bleu.Smoothing.FLOOR, 0.01).withEffectiveOrder(true));
        assertArrayEquals(new double[] {4, 2, 1, 0}, s.counts());
        assertArrayEquals(new double[] {6, 5, 4, 3}, s.totals());
    }

    @Test
    void scoringFromStatistics() {
        // test_case_scoring: no smoothing, sys_len = ref_len = 11
        Bleu.Options none = DEFAULT.withSmoothing(Bleu.Smoothing.NONE, null);
        assertEquals(0.8375922397, Bleu.compute(new double[] {9, 7, 5, 3}, new double[] {10, 8, 6, 4}, 11, 11, none).score() / 100, 1e-8);
    }

    @Test
    void offset() {
        // test_case_offset: floor 0.0 gives 0; the default floor (0.1) gives 0.1555722182
        List<String> hyp = List.of("am I am a character sequence");
        List<List<String>> ref = List.of(List.of("I am a symbol string sequence a a"));
        assertEquals(0.0, raw(hyp, ref, 0.0), 1e-8);
        assertEquals(0.1555722182, raw(hyp, ref, null), 1e-8);
    }

    @Test
    void degenerateStatistics() {
        // test_case_degenerate_stats: (common, total, sys_len, ref_len, floor value) -> 0 exactly
        double[][][] cases = {
                {{0, 0, 0, 0}, {4, 4, 2, 1}, {0, 1, 0.0}},
                {{0, 0, 0, 0}, {10, 11, 12, 0}, {14, 10, 0.0}},
                {{0, 0, 0, 0}, {0, 0, 0, 0}, {0, 0, 0.0}},
                {{6, 5, 4, 0}, {6, 5, 4, 3}, {6, 6, 0.0}},
                {{0, 0, 0, 0}, {0, 0, 0, 0}, {0, 0, 0.1}},
                {{0, 0, 0, 0}, {0, 0, 0, 0}, {1, 5, 0.01}},
        };
        for (double[][] c : cases) {
            Bleu.Options floor = DEFAULT.withSmoothing(Bleu.Smoothing.FLOOR, c[2][2]);
            assertEquals(0.0, Bleu.compute(c[0], c[1], (long) c[2][0], (long) c[2][1], floor).score() / 100);
        }
    }

    @Test
    void maxNgramOrder() {
        // test_bleu_max_order, compared as sacreBLEU's test does: formatted with two decimals
        String[] expected = {"77.65", "60.50", "53.93", "48.53", "46.14", "43.28"};
        for (int order = 1; order <= 6; order++) {
            double score = Bleu.corpus(HYPS, REFS, DEFAULT.withMaxOrder(order)).score();
            assertEquals(expected[order - 1], String.format(java.util.Locale.ROOT, "%.2f", score), "max order " + order);
        }
    }

    @Test
    void sentenceBleuSmoothingTokenizersAndCase() {
        // test_sentence_bleu.py: example from sacreBLEU issue #98, effective order on
        String ref = "producţia de zahăr brut se exprimă în zahăr alb;";
        String sys = "Producția de zahăr primă va fi exprimată în ceea ce privește zahărul alb;";
        Object[][] cases = {
                {Bleu.Smoothing.EXP, null, false, BleuTokenizer.THIRTEEN_A, 8.493},
                {Bleu.Smoothing.NONE, null, false, BleuTokenizer.THIRTEEN_A, 0.0},
                {Bleu.Smoothing.FLOOR, null, false, BleuTokenizer.THIRTEEN_A, 4.51688},
                {Bleu.Smoothing.FLOOR, 0.1, false, BleuTokenizer.THIRTEEN_A, 4.51688},
                {Bleu.Smoothing.FLOOR, 0.5, false, BleuTokenizer.THIRTEEN_A, 10.10},
                {Bleu.Smoothing.ADD_K, null, false, BleuTokenizer.THIRTEEN_A, 14.882},
                {Bleu.Smoothing.ADD_K, 1.0, false, BleuTokenizer.THIRTEEN_A, 14.882},
                {Bleu.Smoothing.ADD_K, 2.0, false, BleuTokenizer.THIRTEEN_A, 21.389},
                {Bleu.Smoothing.EXP, null, false, BleuTokenizer.NONE, 7.347},
                {Bleu.Smoothing.EXP, null, false, BleuTokenizer.CHAR, 40.8759},
                {Bleu.Smoothing.EXP, null, true, BleuTokenizer.CHAR, 42.0267},
        };
        for (Object[] c : cases) {
            Bleu.Options o = DEFAULT.withSmoothing((Bleu.Smoothing) c[0], (Double) c[1]).withLowercase((Boolean) c[2])
                    .withTokenizer((BleuTokenizer) c[3]).withEffectiveOrder(true);
            assertEquals((double) c[4], Bleu.sentence(sys, List.of(ref), o).score(), 1e-3, () -> java.util.Arrays.toString(c));
        }
        // test_cases_zero_bleu: example from issue #141, no match at all gives 0 whatever the smoothing
        for (Bleu.Smoothing s : Bleu.Smoothing.values()) {
            assertEquals(0.0, Bleu.sentence("this is a cat", List.of("okay thanks"), DEFAULT.withSmoothing(s, null).withEffectiveOrder(true))
                    .score(), 1e-3);
        }
    }

    @Test
    void tokenizer13aSplitsPunctuationButNotNumbers() {
        // Hand-derived from tokenizer_13a.py / tokenizer_re.py: symbols split off; '.' and ',' kept inside numbers;
        // a dash after a digit split; HTML entities unescaped; whitespace collapsed.
        assertEquals("Hello , world !", Tokenizer13a.tokenize("Hello, world!"));
        assertEquals("It costs $ 3.50 , or 1,000 yen .", Tokenizer13a.tokenize("It costs $3.50, or 1,000 yen."));
        assertEquals("pages 3 - 5", Tokenizer13a.tokenize("pages 3-5"));
        assertEquals("a & b \" c", Tokenizer13a.tokenize("a &amp; b &quot;c"));
        assertEquals("wasn't don-t", Tokenizer13a.tokenize("wasn't don-t")); // apostrophe and a dash after a letter stay
        assertEquals("linebreak here", Tokenizer13a.tokenize("line-\nbreak\u00a0 here<skipped>"));
    }

    @Test
    void mismatchedStreamsAndEmptyReferencesAreErrors() {
        var e = assertThrows(IllegalArgumentException.class, () -> Bleu.corpus(HYPS, List.of(List.of("a", "b")), DEFAULT));
        assertEquals("reference stream 1 has 2 lines but there are 3 hypotheses", e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> Bleu.corpus(List.of("x"), List.of(List.of("")), DEFAULT));
        assertEquals("segment 1 has only empty references", e2.getMessage());
    }
}
