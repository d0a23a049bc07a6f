package org.emma4j.model.data.udhr;

import java.lang.Character.UnicodeScript;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The ISO 15924 script code of a text: a script named in its BCP 47 tag wins ({@code az-Cyrl}); otherwise
 * the script of most of its letters. Han text is refined: with kana it is Japanese ({@code Jpan}); with
 * more Hangul than Han, {@code Hang}; for Chinese languages, {@code Hant} or {@code Hans} by which of a set
 * of characters that differ between the two forms (權/权, 國/国, ...) occur more; any other language
 * written in Han characters, {@code Hani}.
 */
public final class ScriptDetector {
    private static final Map<UnicodeScript, String> ISO15924 = new EnumMap<>(UnicodeScript.class);

    static {
        String[][] table = {
            {"LATIN", "Latn"}, {"CYRILLIC", "Cyrl"}, {"GREEK", "Grek"}, {"ARABIC", "Arab"}, {"HEBREW", "Hebr"},
            {"ARMENIAN", "Armn"}, {"GEORGIAN", "Geor"}, {"DEVANAGARI", "Deva"}, {"BENGALI", "Beng"},
            {"GURMUKHI", "Guru"}, {"GUJARATI", "Gujr"}, {"ORIYA", "Orya"}, {"TAMIL", "Taml"}, {"TELUGU", "Telu"},
            {"KANNADA", "Knda"}, {"MALAYALAM", "Mlym"}, {"SINHALA", "Sinh"}, {"THAI", "Thai"}, {"LAO", "Laoo"},
            {"TIBETAN", "Tibt"}, {"MYANMAR", "Mymr"}, {"KHMER", "Khmr"}, {"HANGUL", "Hang"}, {"ETHIOPIC", "Ethi"},
            {"CHEROKEE", "Cher"}, {"CANADIAN_ABORIGINAL", "Cans"}, {"MONGOLIAN", "Mong"}, {"YI", "Yiii"},
            {"TIFINAGH", "Tfng"}, {"THAANA", "Thaa"}, {"SYRIAC", "Syrc"}, {"VAI", "Vaii"}, {"NKO", "Nkoo"},
            {"JAVANESE", "Java"}, {"BALINESE", "Bali"}, {"SUNDANESE", "Sund"}, {"BUGINESE", "Bugi"},
            {"TAGALOG", "Tglg"}, {"TAI_THAM", "Lana"}, {"ADLAM", "Adlm"}, {"GRANTHA", "Gran"}, {"CHAKMA", "Cakm"},
            {"OL_CHIKI", "Olck"}, {"MEETEI_MAYEK", "Mtei"}, {"BAMUM", "Bamu"}, {"TAI_LE", "Tale"},
            {"NEW_TAI_LUE", "Talu"}, {"LIMBU", "Limb"}, {"LEPCHA", "Lepc"}, {"CHAM", "Cham"}, {"TAI_VIET", "Tavt"},
            {"OSAGE", "Osge"}, {"COPTIC", "Copt"}, {"BOPOMOFO", "Bopo"}, {"MIAO", "Plrd"}, {"HAN", "Hani"},
            {"HIRAGANA", "Hira"}, {"KATAKANA", "Kana"}, {"KAYAH_LI", "Kali"}, {"SAURASHTRA", "Saur"},
            {"SYLOTI_NAGRI", "Sylo"}, {"OSMANYA", "Osma"}, {"GLAGOLITIC", "Glag"}, {"GOTHIC", "Goth"},
        };
        for (String[] row : table) {
            ISO15924.put(UnicodeScript.valueOf(row[0]), row[1]);
        }
    }

    /** Chinese languages (ISO 639-3), whose Han text is Hans or Hant. */
    private static final Set<String> CHINESE = Set.of("zho", "cmn", "yue", "gan", "hak", "hsn", "nan", "wuu", "cjy", "cdo",
            "cpx", "czh", "czo", "mnp", "lzh");
    /** Characters whose traditional and simplified forms differ, frequent in the Declaration. */
    private static final String TRADITIONAL = "權國會對應護與為們這個條無於發經體實際義務關係學歷資產開選舉財說話";
    private static final String SIMPLIFIED = "权国会对应护与为们这个条无于发经体实际义务关系学历资产开选举财说话";

    private ScriptDetector() {
    }

    /** The script of {@code text} in language {@code iso6393} tagged {@code bcp47}. */
    public static String detect(String text, String bcp47, String iso6393) {
        String tagged = scriptOfTag(bcp47);
        if (tagged != null && !tagged.equals("Hani")) {
            return tagged;
        }
        Map<UnicodeScript, Integer> counts = new EnumMap<>(UnicodeScript.class);
        int trad = 0;
        int simp = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (!Character.isLetter(cp)) {
                continue;
            }
            counts.merge(UnicodeScript.of(cp), 1, Integer::sum);
            int t = TRADITIONAL.indexOf(cp);
            int s = SIMPLIFIED.indexOf(cp);
            if (t >= 0 && s < 0) {
                trad++;
            } else if (s >= 0 && t < 0) {
                simp++;
            }
        }
        UnicodeScript top = null;
        for (Map.Entry<UnicodeScript, Integer> e : counts.entrySet()) {
            if (top == null || e.getValue() > counts.get(top)) {
                top = e.getKey();
            }
        }
        if (top == null) {
            return "Zyyy";
        }
        int kana = counts.getOrDefault(UnicodeScript.HIRAGANA, 0) + counts.getOrDefault(UnicodeScript.KATAKANA, 0);
        int han = counts.getOrDefault(UnicodeScript.HAN, 0);
        int hangul = counts.getOrDefault(UnicodeScript.HANGUL, 0);
        if (top == UnicodeScript.HAN || top == UnicodeScript.HIRAGANA || top == UnicodeScript.KATAKANA || top == UnicodeScript.HANGUL) {
            if (kana > 0 && kana + han >= hangul) {
                return "Jpan";
            }
            if (hangul >= han) {
                return "Hang";
            }
            if (CHINESE.contains(iso6393)) {
                return trad > simp ? "Hant" : "Hans";
            }
            return "Hani";
        }
        String code = ISO15924.get(top);
        if (code != null) {
            return code;
        }
        String name = top.name().replace("_", "");
        return name.charAt(0) + name.substring(1, 4).toLowerCase(Locale.ROOT);
    }

    /** A four-letter script subtag of a BCP 47 tag ({@code sr-Latn}), normalised to titlecase, or null. */
    static String scriptOfTag(String bcp47) {
        for (String part : bcp47.split("-")) {
            if (part.length() == 4 && part.chars().allMatch(Character::isLetter)) {
                return Character.toUpperCase(part.charAt(0)) + part.substring(1).toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }
}
