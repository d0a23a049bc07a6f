package org.emma4j.model.data.mix;

/** The kinds of input a mix source can read. */
public enum SourceType {
    /** JSON Lines, one document per line: a text field and a language-code field. */
    MONOLINGUAL("monolingual"),
    /** Plain UTF-8 text files of one language each (language from the config or the file name). */
    TEXT("text"),
    /** JSON Lines of translation pairs: src_lang, tgt_lang, src_text, tgt_text; rendered through a template. */
    BILINGUAL("bilingual"),
    /** JSON Lines of already tokenized documents: {@code {"input_ids": [...]}}. */
    TOKENIZED("tokenized");

    private final String key;

    SourceType(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }
}
