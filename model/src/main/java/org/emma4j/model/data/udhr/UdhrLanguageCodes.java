package org.emma4j.model.data.udhr;

import java.util.Map;

/**
 * Maps a declaration's ISO 639-3 code and script to a FLORES-200-style code {@code xxx_Xxxx}. FLORES-200
 * sometimes names a language by another code of the same language (a macrolanguage, or an individual
 * language the package files under a different code); these aliases are applied first, so that such
 * declarations get the FLORES-200 code and name. Every other language keeps its own ISO 639-3 code with
 * its script, outside FLORES-200 (the language-name table then falls back to the package's name).
 */
public final class UdhrLanguageCodes {
    /** ISO 639-3 code in the udhr package to the code FLORES-200 uses for the same language. */
    static final Map<String, String> FLORES_ALIASES = Map.of(
            "cmn", "zho", // Mandarin Chinese: FLORES-200 zho_Hans / zho_Hant
            "ekk", "est", // Standard Estonian: FLORES-200 est_Latn
            "zlm", "zsm", // Malay: FLORES-200 zsm_Latn (Standard Malay)
            "gug", "grn", // Paraguayan Guarani: FLORES-200 grn_Latn
            "kng", "kon", // Koongo: FLORES-200 kon_Latn (Kikongo)
            "src", "srd"); // Logudorese Sardinian: FLORES-200 srd_Latn

    private UdhrLanguageCodes() {
    }

    /** {@code iso_Script} with the alias applied. */
    public static String code(String iso6393, String script) {
        return FLORES_ALIASES.getOrDefault(iso6393, iso6393) + "_" + script;
    }
}
