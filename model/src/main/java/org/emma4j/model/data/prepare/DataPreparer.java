package org.emma4j.model.data.prepare;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.emma4j.model.data.IntList;
import org.emma4j.model.data.LanguageNames;
import org.emma4j.model.data.LongList;
import org.emma4j.model.data.ProgressLine;
import org.emma4j.model.data.Seeds;
import org.emma4j.model.data.io.JsonLines;
import org.emma4j.model.data.mix.MixConfig;
import org.emma4j.model.data.mix.MixConfigReader;
import org.emma4j.model.data.mix.MixPlanner;
import org.emma4j.model.data.mix.SourceConfig;
import org.emma4j.model.data.shards.SequencePacker;
import org.emma4j.model.data.shards.ShardIndex;
import org.emma4j.model.data.shards.ShardInfo;
import org.emma4j.model.data.shards.ShardWriter;
import org.emma4j.model.data.shards.SplitInfo;
import org.emma4j.model.io.AtomicFiles;
import org.emma4j.model.io.HfJson;
import org.emma4j.model.tokenizer.Llama3Tokenizer;

/**
 * {@code emma4j prepare}: reads a mix's sources, tokenizes them on all cores, splits off validation
 * records, samples each language's training tokens by the mix plan, shuffles the documents, packs them
 * into sequences and writes token shards, {@code index.json}, {@code stats.json} and a copy of the config
 * ({@code mix.yaml}) into a directory that appears atomically (temp directory, fsync, rename).
 *
 * <p>Stages: (1) read, parse and tokenize (the ordered parallel {@link TokenizingPipeline}) into a scratch
 * {@link DocumentStore}; (2) per language, hold out validation records ({@link GroupSplit}); (3) plan
 * token targets ({@link MixPlanner}) and realise them with whole documents ({@link EpochSelection});
 * (4) shuffle (seeded) and pack ({@link SequencePacker}) into shards ({@link ShardWriter}). Every random
 * choice is seeded from the config's seed and names, and everything after stage 1 is single-threaded,
 * so the same inputs give byte-identical output whatever the thread count.
 *
 * <p>Resources: the scratch store takes 4 bytes per input token on disk (next to the output, deleted at the
 * end); memory holds about 24 bytes per input document and 8 per packed document (repeats included).
 */
public final class DataPreparer {
    private DataPreparer() {
    }

    /** Runs the whole preparation; returns the index written. */
    public static ShardIndex run(PrepareOptions options) throws IOException {
        MixConfig config = MixConfigReader.read(options.config());
        Path baseDir = options.config().toAbsolutePath().normalize().getParent();
        Llama3Tokenizer tokenizer = Llama3Tokenizer.load(options.tokenizer());
        String tokenizerSha = sha256(Path.of(tokenizer.source()));
        List<LanguageNames> names = new ArrayList<>();
        LanguageNames flores = LanguageNames.flores200();
        for (SourceConfig s : config.sources()) {
            names.add(s.languageNames() == null ? flores : flores.withNamesFrom(s.languageNames()));
        }
        byte[] configBytes = Files.readAllBytes(options.config());
        ShardIndex[] index = new ShardIndex[1];
        AtomicFiles.writeDirectory(options.out(), options.overwrite(), dir -> {
            Files.write(dir.resolve("mix.yaml"), configBytes);
            index[0] = prepareInto(dir, config, baseDir, tokenizer, tokenizerSha, names, options);
        });
        return index[0];
    }

    private static ShardIndex prepareInto(Path dir, MixConfig config, Path baseDir, Llama3Tokenizer tokenizer, String tokenizerSha,
                                          List<LanguageNames> names, PrepareOptions options) throws IOException {
        GroupTable table = new GroupTable(config.sources().size());
        Path scratch = dir.resolve(".documents.scratch");
        try (DocumentStore store = new DocumentStore(scratch)) {
            read(config, baseDir, tokenizer, names, options, table, store);
            store.finishWriting();
            int groupCount = table.groupCount();
            int[][] groupDocs = documentsByGroup(store, groupCount);
            GroupSplit[] splits = new GroupSplit[groupCount];
            for (int g = 0; g < groupCount; g++) {
                GroupTable.Group group = table.group(g);
                splits[g] = GroupSplit.of(store, groupDocs[g], config.heldout(), config.seed(),
                        config.sources().get(group.source).name(), group.key);
            }
            List<long[]> sizes = new ArrayList<>();
            List<List<Integer>> groupsOfSource = new ArrayList<>();
            for (int s = 0; s < config.sources().size(); s++) {
                List<Integer> gs = table.groupsOf(s);
                groupsOfSource.add(gs);
                long[] n = new long[gs.size()];
                for (int i = 0; i < n.length; i++) {
                    n[i] = splits[gs.get(i)].trainTokens();
                }
                sizes.add(n);
            }
            MixPlanner.Plan plan = MixPlanner.plan(config, sizes);

            LongList trainInstances = new LongList(store.documentCount());
            long[] chosenTokens = new long[groupCount];
            long[] chosenDocs = new long[groupCount];
            for (int s = 0; s < config.sources().size(); s++) {
                List<Integer> gs = groupsOfSource.get(s);
                for (int i = 0; i < gs.size(); i++) {
                    int g = gs.get(i);
                    int[] docs = splits[g].train();
                    int[] lengths = new int[docs.length];
                    for (int d = 0; d < docs.length; d++) {
                        lengths[d] = store.length(docs[d]);
                    }
                    int before = trainInstances.size();
                    long seed = Seeds.derive(config.seed(), Seeds.name("epochs"), Seeds.name(config.sources().get(s).name()),
                            Seeds.name(table.group(g).key));
                    chosenTokens[g] = EpochSelection.select(docs, lengths, splits[g].trainTokens(), plan.groupTargets().get(s)[i],
                            seed, trainInstances);
                    chosenDocs[g] = trainInstances.size() - before;
                }
            }
            LongList validationInstances = new LongList();
            for (int g = 0; g < groupCount; g++) {
                for (int d : splits[g].validation()) {
                    validationInstances.add(d);
                }
            }
            shuffle(trainInstances, Seeds.derive(config.seed(), Seeds.name("train-order")));
            shuffle(validationInstances, Seeds.derive(config.seed(), Seeds.name("validation-order")));

            Map<String, SplitInfo> splitInfos = new LinkedHashMap<>();
            splitInfos.put("train", pack(dir, "train", trainInstances, store, config, tokenizer, options));
            splitInfos.put("validation", pack(dir, "validation", validationInstances, store, config, tokenizer, options));
            ShardIndex index = new ShardIndex(config.seqLen(), config.dtype(), config.bos(), tokenizer.bosId(), tokenizer.eosId(),
                    tokenizer.eosId(), config.seed(), tokenizer.vocabSize(), tokenizerSha, splitInfos);
            index.write(dir);
            ObjectNode stats = PrepareStats.build(config, baseDir, table, splits, plan, groupsOfSource, chosenTokens, chosenDocs, index);
            Files.writeString(dir.resolve("stats.json"), HfJson.pretty(stats));
            return index;
        } finally {
            Files.deleteIfExists(scratch);
        }
    }

    private static void read(MixConfig config, Path baseDir, Llama3Tokenizer tokenizer, List<LanguageNames> names,
                             PrepareOptions options, GroupTable table, DocumentStore store) throws IOException {
        long totalBytes = 0;
        for (SourceConfig s : config.sources()) {
            for (Path f : s.files()) {
                totalBytes += Files.size(f);
            }
        }
        AtomicLong bytesRead = new AtomicLong();
        ProgressLine progress = new ProgressLine(options.progress(), "prepare: reading", totalBytes, "B");
        RecordReader reader = new RecordReader(config, baseDir, bytesRead);
        JsonLines json = new JsonLines();
        long[] recordIds = {0};
        try {
            new TokenizingPipeline(options.threads()).run(reader, () -> new RecordParser(config, names, tokenizer, json), outcome -> {
                table.source(outcome.source()).records++;
                if (outcome.bad() != null) {
                    if (!options.skipBad()) {
                        throw outcome.bad();
                    }
                    table.skip(outcome.source(), outcome.bad());
                } else if (outcome.excluded()) {
                    table.exclude(outcome.source(), outcome.group());
                } else {
                    int g = table.groupId(outcome.source(), outcome.group());
                    GroupTable.Group group = table.group(g);
                    group.records++;
                    long record = recordIds[0]++;
                    for (int[] doc : outcome.documents()) {
                        store.add(g, record, doc);
                        group.documents++;
                        group.tokens += doc.length;
                    }
                }
                progress.update(bytesRead.get(), ProgressLine.human(store.tokenCount()) + " tokens");
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading", e);
        }
        progress.done(bytesRead.get(), ProgressLine.human(store.tokenCount()) + " tokens in "
                + ProgressLine.human(store.documentCount()) + " documents");
    }

    private static int[][] documentsByGroup(DocumentStore store, int groupCount) {
        IntList[] lists = new IntList[groupCount];
        for (int g = 0; g < groupCount; g++) {
            lists[g] = new IntList();
        }
        for (int d = 0; d < store.documentCount(); d++) {
            lists[store.group(d)].add(d);
        }
        int[][] out = new int[groupCount][];
        for (int g = 0; g < groupCount; g++) {
            out[g] = lists[g].toArray();
        }
        return out;
    }

    /** Fisher-Yates with a seeded generator. */
    static void shuffle(LongList list, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        long[] a = list.array();
        for (int i = list.size() - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            long t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static SplitInfo pack(Path dir, String split, LongList instances, DocumentStore store, MixConfig config,
                                  Llama3Tokenizer tokenizer, PrepareOptions options) throws IOException {
        long perShard = Math.max(1, config.shardTokens() / config.sequenceTokens());
        ProgressLine progress = new ProgressLine(options.progress(), "prepare: packing " + split, instances.size(), " docs");
        try (ShardWriter writer = new ShardWriter(dir, split, config.dtype(), config.sequenceTokens(), perShard, tokenizer.eosId())) {
            SequencePacker packer = new SequencePacker(config.sequenceTokens(), config.bos(), tokenizer.bosId(), tokenizer.eosId(),
                    tokenizer.eosId(), writer::write);
            int[] doc = new int[1024];
            long validTokens = 0;
            for (int i = 0; i < instances.size(); i++) {
                int d = (int) instances.get(i);
                int len = store.length(d);
                if (doc.length < len) {
                    doc = new int[Math.max(len, doc.length * 2)];
                }
                store.read(d, doc);
                packer.addDocument(doc, 0, len);
                progress.update(i + 1, null);
            }
            packer.finish();
            List<ShardInfo> shards = writer.finish();
            for (ShardInfo s : shards) {
                validTokens += s.validTokens();
            }
            progress.done(instances.size(), ProgressLine.human(packer.sequences()) + " sequences");
            return new SplitInfo(packer.sequences(), validTokens, packer.documents(), shards);
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
