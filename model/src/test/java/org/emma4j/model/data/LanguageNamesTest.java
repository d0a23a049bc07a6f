package org.emma4j.model.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built-in FLORES-200 table and its fallbacks. */
class LanguageNamesTest {
    @TempDir
    Path dir;

    @Test
    void holdsThe204Flores200CodesWithTheirNames() {
        LanguageNames names = LanguageNames.flores200();
        assertEquals(204, names.floresTable().size());
        assertEquals("English", names.nameOf("eng_Latn"));
        assertEquals("French", names.nameOf("fra_Latn"));
        assertEquals("Chinese (Simplified)", names.nameOf("zho_Hans"));
        assertEquals("Chinese (Traditional)", names.nameOf("zho_Hant"));
        assertEquals("Ta’izzi-Adeni Arabic", names.nameOf("acq_Arab"));
        assertEquals("Norwegian Bokmål", names.nameOf("nob_Latn"));
        assertEquals("Zulu", names.nameOf("zul_Latn"));
        for (String code : names.floresTable().keySet()) {
            assertTrue(LanguageNames.CODE_SHAPE.matcher(code).matches(), code);
        }
        assertTrue(names.isFlores("kas_Deva"));
        assertFalse(names.isFlores("eng_Cyrl"));
    }

    @Test
    void fallsBackToAnExtraTableThenToTheCodeItself() throws IOException {
        Path tsv = Files.writeString(dir.resolve("names.tsv"), "# comment\ncri_Latn\tSãotomense\textra\teng_Latn\tNot English\n"
                .replace("extra\teng_Latn", "extra\neng_Latn"));
        LanguageNames names = LanguageNames.flores200().withNamesFrom(tsv);
        assertEquals("Sãotomense", names.nameOf("cri_Latn"));
        assertEquals("English", names.nameOf("eng_Latn"), "FLORES-200 names win");
        assertEquals("xyz_Latn", names.nameOf("xyz_Latn"));
        assertFalse(names.isFlores("cri_Latn"), "an extra name does not make a code FLORES-200");
        Path bad = Files.writeString(dir.resolve("bad.tsv"), "ok_Latn\tOk\nbroken line\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LanguageNames.flores200().withNamesFrom(bad));
        assertTrue(e.getMessage().startsWith(bad + ":2:"), e.getMessage());
    }
}
