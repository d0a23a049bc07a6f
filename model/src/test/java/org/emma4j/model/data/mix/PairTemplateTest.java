package org.emma4j.model.data.mix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.emma4j.model.data.LanguageNames;
import org.junit.jupiter.api.Test;

/** Template output, exactly. */
class PairTemplateTest {
    @Test
    void defaultTemplateIsThePaperPromptWithFloresNames() {
        LanguageNames names = LanguageNames.flores200();
        String text = PairTemplate.parse(PairTemplate.DEFAULT).render("eng_Latn", names.nameOf("eng_Latn"), "All are equal.",
                "zho_Hans", names.nameOf("zho_Hans"), "人人平等。");
        assertEquals("[English]: All are equal.\n[Chinese (Simplified)]: 人人平等。", text);
    }

    @Test
    void everyPlaceholderAndEscapedBracesAndBracesInsideTexts() {
        PairTemplate t = PairTemplate.parse("{{{src_lang}}} {src_name}={src_text}|{tgt_lang}:{tgt_name}={tgt_text}}}");
        assertEquals("{fra_Latn} French=a {tgt_text} b|deu_Latn:German={x}}",
                t.render("fra_Latn", "French", "a {tgt_text} b", "deu_Latn", "German", "{x}"));
    }

    @Test
    void refusesUnknownPlaceholdersAndUnmatchedBraces() {
        for (String bad : new String[] {"{src}", "x {src_text", "a } b"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PairTemplate.parse(bad));
            assertTrue(e.getMessage().contains(bad), e.getMessage());
        }
    }
}
