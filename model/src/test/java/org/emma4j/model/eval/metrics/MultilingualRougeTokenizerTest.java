package org.emma4j.model.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The language-aware tokenizer on hand-worked examples of each rule in its class comment. */
class MultilingualRougeTokenizerTest {
    private final MultilingualRougeTokenizer tok = new MultilingualRougeTokenizer();

    @Test
    void latinTextIsLowercasedAndPunctuationDropped() {
        assertEquals(List.of("café", "crème", "l", "été"), tok.tokenize("Café-Crème, l'été!"));
    }

    @Test
    void lettersAndDigitsAreSeparatedAndSymbolsStandAlone() {
        assertEquals(List.of("covid", "19", "5", "€", "3", "x"), tok.tokenize("COVID19 5€ 3x"));
    }

    @Test
    void combiningMarksStayWithTheirLetters() {
        // Hindi: vowel signs (Mc/Mn) and the virama are part of the word; the danda (Po) is punctuation.
        assertEquals(List.of("भारत", "की", "राजधानी", "दिल्ली", "है"), tok.tokenize("भारत की राजधानी दिल्ली है।"));
        // Arabic with harakat; the Arabic comma is punctuation.
        assertEquals(List.of("كَتَبَ", "الوَلَدُ"), tok.tokenize("كَتَبَ، الوَلَدُ"));
    }

    @Test
    void cjkIdeographsAreSingleTokens() {
        assertEquals(List.of("北", "京", "是", "首", "都", "2024"), tok.tokenize("北京是首都。2024"));
        // Hangul is not an ideograph: Korean words stay whole.
        assertEquals(List.of("서울은", "수도다"), tok.tokenize("서울은 수도다."));
    }

    @Test
    void controlCharactersAndReplacementCharacterAreRemoved() {
        assertEquals(List.of("ab", "cd"), tok.tokenize("a\u200Bb\uFFFD\u0000 c\u0007d"));
    }

    @Test
    void givesNonZeroRougeWhereTheDefaultTokenizerSeesNothing() {
        Rouge multilingual = new Rouge(Rouge.Type.ROUGE_L, tok);
        Rouge plain = new Rouge(Rouge.Type.ROUGE_L, new DefaultRougeTokenizer(false));
        String target = "भारत की राजधानी दिल्ली है";
        String prediction = "दिल्ली भारत की राजधानी";
        assertEquals(0.0, plain.score(target, prediction).fmeasure());
        // LCS "भारत की राजधानी" = 3 of 5 target tokens and 3 of 4 predicted: P 3/4, R 3/5, F 2/3.
        assertEquals(2.0 / 3, multilingual.score(target, prediction).fmeasure(), 1e-12);
    }
}
