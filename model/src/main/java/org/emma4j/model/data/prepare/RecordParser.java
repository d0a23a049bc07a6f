package org.emma4j.model.data.prepare;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.SplittableRandom;
import org.emma4j.model.data.BadInputException;
import org.emma4j.model.data.BadInputReason;
import org.emma4j.model.data.LanguageNames;
import org.emma4j.model.data.Seeds;
import org.emma4j.model.data.io.JsonLines;
import org.emma4j.model.data.io.StrictUtf8;
import org.emma4j.model.data.mix.MixConfig;
import org.emma4j.model.data.mix.PairDirection;
import org.emma4j.model.data.mix.SourceConfig;
import org.emma4j.model.tokenizer.Llama3Tokenizer;
import org.emma4j.model.tokenizer.SpecialTokenHandling;
import org.emma4j.model.tokenizer.TokenIdBuffer;

/**
 * Turns raw records into tokenized documents: strict UTF-8, strict JSON, the source's fields, language
 * codes checked against FLORES-200, pairs rendered through the template, then the tokenizer. Text is
 * encoded with {@link SpecialTokenHandling#PLAIN}: special-token text in the data ("<|eot_id|>") stays
 * text and can never become a control token. One instance per worker thread at a time (the decoder and
 * buffer are state); the tokenizer and JSON mapper it shares are thread-safe.
 */
final class RecordParser {
    private final MixConfig config;
    private final List<LanguageNames> names;
    private final Llama3Tokenizer tokenizer;
    private final JsonLines json;
    private final StrictUtf8 utf8 = new StrictUtf8();
    private final TokenIdBuffer ids = new TokenIdBuffer(4096);

    RecordParser(MixConfig config, List<LanguageNames> names, Llama3Tokenizer tokenizer, JsonLines json) {
        this.config = config;
        this.names = names;
        this.tokenizer = tokenizer;
        this.json = json;
    }

    Outcome parse(RawRecord r) {
        try {
            return parseOrThrow(r);
        } catch (BadInputException e) {
            return Outcome.bad(r.source(), e);
        }
    }

    private Outcome parseOrThrow(RawRecord r) {
        SourceConfig source = config.sources().get(r.source());
        String text = utf8.decode(r.bytes(), r.bytes().length, r.file(), r.line());
        switch (source.type()) {
            case TEXT -> {
                String lang = source.lang() != null ? source.lang() : checkedLanguage(source, r.lang(), r);
                if (excluded(source, lang)) {
                    return Outcome.excluded(r.source(), lang);
                }
                JsonLines.checkText(text, "text", r.file(), r.line());
                return Outcome.accepted(r.source(), lang, new int[][] {encode(text)});
            }
            case MONOLINGUAL -> {
                JsonNode node = json.parseObject(text, r.file(), r.line());
                String lang = source.lang() != null ? source.lang()
                        : checkedLanguage(source, JsonLines.stringField(node, source.langField(), r.file(), r.line()), r);
                if (excluded(source, lang)) {
                    return Outcome.excluded(r.source(), lang);
                }
                String body = JsonLines.textField(node, source.textField(), r.file(), r.line());
                return Outcome.accepted(r.source(), lang, new int[][] {encode(body)});
            }
            case BILINGUAL -> {
                return parsePair(source, json.parseObject(text, r.file(), r.line()), r);
            }
            case TOKENIZED -> {
                JsonNode node = json.parseObject(text, r.file(), r.line());
                String lang = source.lang();
                if (lang == null) {
                    lang = node.has(source.langField())
                            ? checkedLanguage(source, JsonLines.stringField(node, source.langField(), r.file(), r.line()), r)
                            : "und";
                }
                if (excluded(source, lang)) {
                    return Outcome.excluded(r.source(), lang);
                }
                int[] tokens = JsonLines.idsField(node, source.idsField(), tokenizer.vocabSize(), r.file(), r.line());
                return Outcome.accepted(r.source(), lang, new int[][] {tokens});
            }
            default -> throw new IllegalStateException("unknown source type " + source.type());
        }
    }

    private Outcome parsePair(SourceConfig source, JsonNode node, RawRecord r) {
        String srcLang = checkedLanguage(source, JsonLines.stringField(node, "src_lang", r.file(), r.line()), r);
        String tgtLang = checkedLanguage(source, JsonLines.stringField(node, "tgt_lang", r.file(), r.line()), r);
        String group = srcLang + "-" + tgtLang;
        if (excluded(source, group)) {
            return Outcome.excluded(r.source(), group);
        }
        String srcText = JsonLines.textField(node, "src_text", r.file(), r.line());
        String tgtText = JsonLines.textField(node, "tgt_text", r.file(), r.line());
        LanguageNames n = names.get(r.source());
        String srcName = n.nameOf(srcLang);
        String tgtName = n.nameOf(tgtLang);
        String forward = source.template().render(srcLang, srcName, srcText, tgtLang, tgtName, tgtText);
        PairDirection direction = source.direction();
        if (direction == PairDirection.BOTH) {
            String backward = source.template().render(tgtLang, tgtName, tgtText, srcLang, srcName, srcText);
            return Outcome.accepted(r.source(), group, new int[][] {encode(forward), encode(backward)});
        }
        if (direction == PairDirection.RANDOM) {
            long seed = Seeds.derive(config.seed(), Seeds.name("direction"), Seeds.name(source.name()), r.ordinal());
            if (new SplittableRandom(seed).nextBoolean()) {
                String backward = source.template().render(tgtLang, tgtName, tgtText, srcLang, srcName, srcText);
                return Outcome.accepted(r.source(), group, new int[][] {encode(backward)});
            }
        }
        return Outcome.accepted(r.source(), group, new int[][] {encode(forward)});
    }

    private String checkedLanguage(SourceConfig source, String code, RawRecord r) {
        if (names.get(r.source()).isFlores(code)) {
            return code;
        }
        if (source.allowUnknownLanguages()) {
            if (LanguageNames.CODE_SHAPE.matcher(code).matches()) {
                return code;
            }
            throw new BadInputException(r.file(), r.line(), BadInputReason.UNKNOWN_LANGUAGE, "language code '" + code
                    + "' is not of the form xxx_Xxxx (ISO 639-3 language, ISO 15924 script)");
        }
        throw new BadInputException(r.file(), r.line(), BadInputReason.UNKNOWN_LANGUAGE, "language code '" + code
                + "' is not a FLORES-200 code (set allow_unknown_languages: true on source " + source.name()
                + " to accept other xxx_Xxxx codes)");
    }

    private static boolean excluded(SourceConfig source, String group) {
        return source.languages() != null && !source.languages().contains(group);
    }

    private int[] encode(String text) {
        ids.clear();
        tokenizer.encodeInto(text, SpecialTokenHandling.PLAIN, ids);
        return ids.toArray();
    }
}
