package org.emma4j.model.data.mix;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a mix config (YAML). Relative paths are resolved against the config file's directory. Every field:
 *
 * <pre>
 * seed: 1234                 # every random choice derives from it (default 0)
 * seq_len: 1024              # T, required: sequences are stored with T + 1 tokens
 * bos: sequence_start        # sequence_start (default) | document_start | none; EOS always ends a document
 * dtype: uint32              # uint32 (default) | int32: how shards store ids
 * total_tokens: 5000000      # training tokens of the whole mix (documents' own tokens); default: the natural
 *                            # size, where the scarcest weighted source is used exactly once over
 * shard_tokens: 134217728    # the most tokens per shard file (default 2^27, rounded down to whole sequences)
 * heldout:                   # validation split (default: none); one of:
 *   fraction: 0.01           #   a share of each language's records, or
 *   documents_per_language: 2  # a fixed number of records per language
 * allow_unknown_languages: false  # default for the sources' field of the same name
 * sources:                   # required, at least one
 *   - name: bilingual        # required, unique: letters, digits, '.', '_', '-'
 *     type: bilingual        # monolingual | text | bilingual | tokenized
 *     paths: [pairs/*.jsonl.zst]   # files or globs (**, *, ?); .gz and .zst are read transparently
 *     weight: 32             # a share of the weighted part of the mix (any scale), or:
 *     tokens: 1000000        #   an absolute token budget; exactly one of weight and tokens
 *     alpha: 0.3             # language l sampled with p proportional to n_l^alpha (default 1: natural sizes)
 *     max_epochs: 4          # the most times one language's data is repeated (default: unlimited)
 *     template: "[{src_name}]: {src_text}\n[{tgt_name}]: {tgt_text}"   # bilingual (this is the default)
 *     direction: both        # bilingual: as_given (default) | both | random (a seeded coin per pair)
 *     text_field: text       # monolingual: the text's JSON field (default text)
 *     lang_field: lang       # monolingual (and optional for tokenized): the language's field (default lang)
 *     ids_field: input_ids   # tokenized: the ids' field (default input_ids)
 *     lang: fra_Latn         # a fixed language label for all documents (text, tokenized, monolingual);
 *                            # text files otherwise take it from a file name starting with xxx_Xxxx
 *     document_per: paragraph  # text: paragraph (default, blank-line separated) | line | file
 *     languages: [eng_Latn, fra_Latn]  # use only these languages (bilingual: pairs such as eng_Latn-fra_Latn);
 *                            # the others are counted as excluded_language in the stats
 *     language_names: names.tsv  # extra code&lt;TAB&gt;name table for template names (beyond FLORES-200)
 *     allow_unknown_languages: true  # accept any xxx_Xxxx code, not only FLORES-200's
 * </pre>
 */
public final class MixConfigReader {
    private static final Set<String> TOP_FIELDS = Set.of("seed", "seq_len", "bos", "dtype", "total_tokens", "shard_tokens",
            "heldout", "allow_unknown_languages", "sources");
    private static final Set<String> SOURCE_FIELDS = Set.of("name", "type", "paths", "weight", "tokens", "alpha",
            "max_epochs", "template", "direction", "text_field", "lang_field", "ids_field", "lang", "document_per",
            "languages", "language_names", "allow_unknown_languages");
    private static final long DEFAULT_SHARD_TOKENS = 1L << 27;

    private MixConfigReader() {
    }

    public static MixConfig read(Path file) throws IOException {
        String name = file.toString();
        JsonNode root;
        try {
            YAMLMapper mapper = YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
            root = mapper.readTree(Files.readString(file));
        } catch (JsonProcessingException e) {
            String at = e.getLocation() == null ? "" : ":" + e.getLocation().getLineNr();
            throw new IllegalArgumentException(name + at + ": not valid YAML: " + e.getOriginalMessage(), e);
        }
        Path baseDir = file.toAbsolutePath().normalize().getParent();
        return parse(new ConfigFields(root, name), baseDir);
    }

    static MixConfig parse(ConfigFields top, Path baseDir) throws IOException {
        top.checkKnown(TOP_FIELDS);
        long seed = top.integer("seed", 0L);
        long seqLen = top.integer("seq_len", -1L);
        if (seqLen < 1 || seqLen > (1 << 24)) {
            throw top.invalid("seq_len", seqLen == -1 ? "is required (the context length T)" : "must be in 1..2^24, found " + seqLen);
        }
        BosPolicy bos = top.choice("bos", BosPolicy.values(), BosPolicy::key, BosPolicy.SEQUENCE_START);
        TokenDType dtype = top.choice("dtype", TokenDType.values(), TokenDType::key, TokenDType.UINT32);
        Long total = top.integer("total_tokens", null);
        if (total != null && total < 1) {
            throw top.invalid("total_tokens", "must be positive, found " + total);
        }
        long shardTokens = top.integer("shard_tokens", DEFAULT_SHARD_TOKENS);
        if (shardTokens < seqLen + 1) {
            throw top.invalid("shard_tokens", "must hold at least one sequence (" + (seqLen + 1) + " tokens), found " + shardTokens);
        }
        HeldoutConfig heldout = HeldoutConfig.NONE;
        ConfigFields h = top.child("heldout");
        if (h != null) {
            h.checkKnown(Set.of("fraction", "documents_per_language"));
            Long perLanguage = h.integer("documents_per_language", null);
            try {
                heldout = new HeldoutConfig(h.number("fraction", null), perLanguage == null ? null : Math.toIntExact(perLanguage));
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw new IllegalArgumentException(h.where() + ": " + e.getMessage(), e);
            }
        }
        boolean allowUnknown = top.bool("allow_unknown_languages", false);
        List<SourceConfig> sources = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (ConfigFields s : top.children("sources")) {
            SourceConfig source = parseSource(s, baseDir, allowUnknown);
            if (!names.add(source.name())) {
                throw s.invalid("name", "'" + source.name() + "' is used by two sources");
            }
            sources.add(source);
        }
        if (sources.isEmpty()) {
            throw top.invalid("sources", "must list at least one source");
        }
        if (total != null) {
            long budgets = sources.stream().filter(s -> s.tokens() != null).mapToLong(SourceConfig::tokens).sum();
            boolean anyWeighted = sources.stream().anyMatch(s -> s.weight() != null);
            if (budgets > total || (anyWeighted && budgets == total)) {
                throw top.invalid("total_tokens", total + " leaves nothing for the weighted sources after the token budgets ("
                        + budgets + ")");
            }
        }
        return new MixConfig(seed, (int) seqLen, bos, dtype, total, shardTokens, heldout, sources);
    }

    private static SourceConfig parseSource(ConfigFields s, Path baseDir, boolean allowUnknownDefault) throws IOException {
        s.checkKnown(SOURCE_FIELDS);
        String name = s.requiredString("name");
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw s.invalid("name", "may hold only letters, digits, '.', '_' and '-', found '" + name + "'");
        }
        SourceType type = s.choice("type", SourceType.values(), SourceType::key, null);
        if (type == null) {
            throw s.invalid("type", "is required (monolingual, text, bilingual or tokenized)");
        }
        List<String> patterns = s.stringList("paths");
        if (patterns == null || patterns.isEmpty()) {
            throw s.invalid("paths", "is required (files or globs relative to the config file)");
        }
        List<Path> files = InputFiles.expand(baseDir, patterns, s.where());
        Double weight = s.number("weight", null);
        Long tokens = s.integer("tokens", null);
        if ((weight == null) == (tokens == null)) {
            throw s.invalid("weight", "or tokens: exactly one of them is needed");
        }
        if (weight != null && !(weight > 0 && Double.isFinite(weight))) {
            throw s.invalid("weight", "must be positive, found " + weight);
        }
        if (tokens != null && tokens < 1) {
            throw s.invalid("tokens", "must be positive, found " + tokens);
        }
        double alpha = s.number("alpha", 1.0);
        if (!(alpha >= 0 && alpha <= 10)) {
            throw s.invalid("alpha", "must be in [0, 10], found " + alpha);
        }
        Double maxEpochs = s.number("max_epochs", null);
        if (maxEpochs != null && !(maxEpochs > 0 && Double.isFinite(maxEpochs))) {
            throw s.invalid("max_epochs", "must be positive, found " + maxEpochs);
        }
        PairTemplate template = null;
        PairDirection direction = PairDirection.AS_GIVEN;
        if (type == SourceType.BILINGUAL) {
            try {
                template = PairTemplate.parse(s.string("template", PairTemplate.DEFAULT));
            } catch (IllegalArgumentException e) {
                throw s.invalid("template", e.getMessage());
            }
            direction = s.choice("direction", PairDirection.values(), PairDirection::key, PairDirection.AS_GIVEN);
        } else {
            forbid(s, type, "template", "direction");
        }
        if (type != SourceType.TEXT) {
            forbid(s, type, "document_per");
        }
        if (type != SourceType.MONOLINGUAL) {
            forbid(s, type, "text_field");
        }
        if (type != SourceType.TOKENIZED) {
            forbid(s, type, "ids_field");
        }
        if (type == SourceType.TEXT || type == SourceType.BILINGUAL) {
            forbid(s, type, "lang_field");
        }
        if (type == SourceType.BILINGUAL) {
            forbid(s, type, "lang");
        }
        String lang = s.string("lang", null);
        TextUnit unit = s.choice("document_per", TextUnit.values(), TextUnit::key, TextUnit.PARAGRAPH);
        List<String> languages = s.stringList("languages");
        String namesFile = s.string("language_names", null);
        Path names = namesFile == null ? null : baseDir.resolve(namesFile).normalize();
        if (names != null && !Files.isRegularFile(names)) {
            throw s.invalid("language_names", "names no file: " + names);
        }
        return new SourceConfig(name, type, files, weight, tokens, alpha, maxEpochs,
                s.string("text_field", "text"), s.string("lang_field", "lang"), s.string("ids_field", "input_ids"),
                lang, unit, template, direction, s.bool("allow_unknown_languages", allowUnknownDefault),
                languages == null ? null : new LinkedHashSet<>(languages), names);
    }

    private static void forbid(ConfigFields s, SourceType type, String... fields) {
        for (String f : fields) {
            if (s.has(f)) {
                throw s.invalid(f, "does not apply to a source of type " + type.key());
            }
        }
    }
}
