package org.emma4j.model.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ROUGE against rouge-score's own published cases, copied from google-research/google-research
 * rouge/rouge_scorer_test.py with its test data rouge/testdata/target.txt and prediction.txt (first two lines
 * each, scored against ROUGE-1.5.5 by its authors). Tolerances as there: assertAlmostEqual's 7 places for the
 * simple cases, 5 places (5e-6) for the ROUGE-1.5.5 comparisons, 3 places for the summary-level example.
 */
class RougeTest {

    private static final RougeTokenizer PLAIN = new DefaultRougeTokenizer(false);
    private static final RougeTokenizer STEMMED = new DefaultRougeTokenizer(true);

    /** rouge/testdata/target.txt, lines 1 and 2. */
    private static final String[] TARGETS = {
            "ZfbCUIUuePaiLVUlCaUXxkpu XPeWing tUHfPMuZ',-Xd Y BrUgVJing M-HV.-DgdDaY.rFDJCRing Ht-LM EKBDXkME,yz'RBr q'wtion"
                    + " wIojNbN wL,b .a-'XdQggyFl jB-RPP'iyOIcUxer tKM L\n",
            "KsJdPByEtAor fE-Qg Dpdbring cw-WeFyu vC MoBL Xdn g wkvcEiGvKtion BDFhrpMtion psing sbKao Q m qiing LMmer HqqLFXe,XPY,J"
                    + " XsurkMer ,ed nB'wH'bWVHjWFEing tQ.saefZwJtKrTlixYpMMsJing UCAPwNHeYVjDing c T BUySKtion gMPfJpwGw p'NvxAoping"
                    + " eu pBwMBKV'I DNxqelhu,PHPxDEq,mtion SN\n"};
    /** rouge/testdata/prediction.txt, lines 1 and 2. */
    private static final String[] PREDICTIONS = {
            "rFDJCRtion Ht-LM EKtDXkME,yz'RBr q'wer wrojNbN wL,b .a-'XdQggyFl jB-RPP'iyOIcUxi\n",
            "n cw-WeFyu vC MoBL Xdn g wkvcEiGvKtion BDFhrpMer pstion sbKao Q m qier LMmed HqqLFXe,XPY,J XsurkMeo ,ed"
                    + " nB'wH'bWVHjWFEer tQ.saefZwJtKrTlixYpMMNJtion UCAPwNHeYVjD\n"};

    private static void check(double p, double r, double f, RougeScore s, double tol) {
        assertEquals(p, s.precision(), tol, "precision");
        assertEquals(r, s.recall(), tol, "recall");
        assertEquals(f, s.fmeasure(), tol, "fmeasure");
    }

    private static RougeScore score(Rouge.Type type, RougeTokenizer tok, String target, String prediction) {
        return new Rouge(type, tok).score(target, prediction);
    }

    @Test
    void simpleCases() {
        check(1, 1.0 / 3, 1.0 / 2, score(Rouge.Type.ROUGE1, PLAIN, "testing one two", "testing"), 1e-7);
        check(1, 1.0 / 2, 2.0 / 3, score(Rouge.Type.ROUGE2, PLAIN, "testing one two", "testing one"), 1e-7);
        check(1, 2.0 / 3, 4.0 / 5, score(Rouge.Type.ROUGE_L, PLAIN, "testing one two", "testing one"), 1e-7);
        check(1, 2.0 / 3, 4.0 / 5, score(Rouge.Type.ROUGE_L, PLAIN, "testing one two", "testing two"), 1e-7);
        check(1, 2.0 / 3, 4.0 / 5, score(Rouge.Type.ROUGE1, PLAIN, "testing one two", "testing one"), 1e-7);
        for (Rouge.Type t : Rouge.Type.values()) {
            check(0, 0, 0, score(t, PLAIN, "testing one two", ""), 1e-7);
        }
    }

    @Test
    void againstRouge155() {
        check(0.68750, 0.40741, 0.51163, score(Rouge.Type.ROUGE1, PLAIN, TARGETS[0], PREDICTIONS[0]), 5e-6);
        check(0.65385, 0.40476, 0.50000, score(Rouge.Type.ROUGE1, PLAIN, TARGETS[1], PREDICTIONS[1]), 5e-6);
        check(0.53333, 0.30769, 0.39024, score(Rouge.Type.ROUGE2, PLAIN, TARGETS[0], PREDICTIONS[0]), 5e-6);
        check(0.48000, 0.29268, 0.36364, score(Rouge.Type.ROUGE2, PLAIN, TARGETS[1], PREDICTIONS[1]), 5e-6);
        check(0.68750, 0.40741, 0.51163, score(Rouge.Type.ROUGE_L, PLAIN, TARGETS[0], PREDICTIONS[0]), 5e-6);
        check(0.65385, 0.40476, 0.50000, score(Rouge.Type.ROUGE_L, PLAIN, TARGETS[1], PREDICTIONS[1]), 5e-6);
    }

    @Test
    void againstRouge155WithStemming() {
        check(0.68750, 0.40741, 0.51163, score(Rouge.Type.ROUGE1, STEMMED, TARGETS[0], PREDICTIONS[0]), 5e-6);
        check(0.69231, 0.42857, 0.52941, score(Rouge.Type.ROUGE1, STEMMED, TARGETS[1], PREDICTIONS[1]), 5e-6);
        check(0.53333, 0.30769, 0.39024, score(Rouge.Type.ROUGE2, STEMMED, TARGETS[0], PREDICTIONS[0]), 5e-6);
        check(0.48000, 0.29268, 0.36364, score(Rouge.Type.ROUGE2, STEMMED, TARGETS[1], PREDICTIONS[1]), 5e-6);
    }

    @Test
    void lcsTableAndUnion() {
        List<Integer> ref = List.of(1, 2, 3, 4, 5);
        List<Integer> c1 = List.of(2, 5, 3, 4);
        assertEquals(3, Rouge.lcsTable(ref, c1)[5][4]);
        assertEquals(List.of(1, 2, 3), Rouge.lcsIndices(ref, c1));
        assertEquals(List.of(), Rouge.lcsIndices(ref, List.of(8, 9)));
        // testUnionLcs: example of section 3.2 of the ROUGE paper
        assertEquals(List.of(1, 2, 3, 5), Rouge.unionLcs(ref, List.of(List.of(1, 2, 6, 7, 8), List.of(1, 3, 8, 9, 5))));
    }

    @Test
    void summaryLevelLcs() {
        // testSummaryLevelLcs and testRougeLsum
        RougeScore s = Rouge.summaryLevelLcs(List.of(List.of("1", "2", "3", "4", "5")),
                List.of(List.of("1", "2", "6", "7", "8"), List.of("1", "3", "8", "9", "5")));
        check(0.4, 0.8, 0.5333, s, 5e-4);
        check(0, 0, 0, Rouge.summaryLevelLcs(List.of(List.of("reference")), List.of(List.of())), 1e-9);
        check(0.4, 0.8, 0.5333, score(Rouge.Type.ROUGE_LSUM, PLAIN, "w1 w2 w3 w4 w5", "w1 w2 w6 w7 w8\nw1 w3 w8 w9 w5"), 5e-4);
        check(0, 0, 0, score(Rouge.Type.ROUGE_LSUM, PLAIN, "w1 w2 w3 w4 w5", ""), 5e-4);
        check(0, 0, 0, score(Rouge.Type.ROUGE_LSUM, PLAIN, "", "w1"), 5e-4);
        check(0, 0, 0, score(Rouge.Type.ROUGE_LSUM, PLAIN, "w1 w2 w3 w4 w5", "/"), 5e-4);
    }

    @Test
    void invalidTypes() {
        for (String bad : new String[] {"rougen", "rouge0", "rouge10"}) {
            assertThrows(IllegalArgumentException.class, () -> Rouge.Type.parse(bad));
        }
    }

    /**
     * Corpus ROUGE is the plain mean of per-pair scores; with two references a pair keeps the one of higher
     * F-measure. Pair 1: ROUGE-1 of "a b" against "a b c" is P 1, R 2/3, F 0.8 (the other reference "x" gives 0).
     * Pair 2: "d" against "d" is 1. Mean F = 0.9, mean P = 1, mean R = 5/6.
     */
    @Test
    void corpusMeanAndMultipleReferences() {
        RougeScore s = new Rouge(Rouge.Type.ROUGE1, PLAIN).corpusMean(List.of("a b", "d"), List.of(List.of("x", "d"), List.of("a b c", "")));
        check(1.0, 5.0 / 6, 0.9, s, 1e-12);
        assertEquals(90.0, CorpusMetric.ROUGE1.score(List.of("a b", "d"), List.of(List.of("x", "d"), List.of("a b c", ""))), 1e-9);
    }

    @Test
    void defaultTokenizerDropsNonAsciiLetters() {
        assertEquals(List.of("the", "cat", "s", "2nd", "caf", "s", "ni", "o"), PLAIN.tokenize("The cat's 2nd café's ni\u00f1o!"));
    }
}
