package org.emma4j.model.data.prepare;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.emma4j.model.data.mix.MixConfig;
import org.emma4j.model.data.mix.MixPlanner;
import org.emma4j.model.data.mix.SourceConfig;
import org.emma4j.model.data.shards.ShardIndex;
import org.emma4j.model.data.shards.SplitInfo;

/**
 * {@code stats.json}: what was read, skipped (by reason, with the first examples), excluded, held out and
 * packed, per source and per language. Tokens are documents' own tokens (no BOS/EOS); "epochs" is the
 * training tokens over the language's available training tokens. Contains nothing that varies between
 * runs (no times, no absolute paths), so it is byte-identical on reruns too.
 */
final class PrepareStats {
    private PrepareStats() {
    }

    static ObjectNode build(MixConfig config, Path baseDir, GroupTable table, GroupSplit[] splits, MixPlanner.Plan plan,
                            List<List<Integer>> groupsOfSource, long[] chosenTokens, long[] chosenDocs, ShardIndex index) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        root.put("seed", config.seed());
        root.put("seq_len", config.seqLen());
        long trainTokensAll = 0;
        for (long t : chosenTokens) {
            trainTokensAll += t;
        }
        ObjectNode totals = root.putObject("totals");
        long records = 0;
        long skipped = 0;
        for (int s = 0; s < config.sources().size(); s++) {
            records += table.source(s).records;
            for (long n : table.source(s).skipped.values()) {
                skipped += n;
            }
        }
        totals.put("records_read", records);
        totals.put("records_skipped", skipped);
        totals.put("train_tokens", trainTokensAll);
        for (Map.Entry<String, SplitInfo> e : index.splits().entrySet()) {
            ObjectNode sp = totals.putObject(e.getKey());
            sp.put("documents", e.getValue().documents());
            sp.put("sequences", e.getValue().sequences());
            sp.put("stored_tokens", e.getValue().validTokens());
            sp.put("shards", e.getValue().shards().size());
        }
        ArrayNode examples = root.putArray("skipped_examples");
        table.skippedExamples().forEach(examples::add);

        ArrayNode sources = root.putArray("sources");
        for (int s = 0; s < config.sources().size(); s++) {
            SourceConfig source = config.sources().get(s);
            GroupTable.SourceTally tally = table.source(s);
            ObjectNode o = sources.addObject();
            o.put("name", source.name());
            o.put("type", source.type().key());
            ArrayNode files = o.putArray("files");
            source.files().forEach(p -> files.add(RecordReader.label(baseDir, p)));
            o.put("records_read", tally.records);
            ObjectNode sk = o.putObject("skipped");
            tally.skipped.forEach(sk::put);
            ObjectNode ex = o.putObject("excluded_language");
            tally.excluded.forEach(ex::put);
            o.put("target_tokens", Math.round(plan.sourceTargets()[s]));
            long sourceTokens = 0;
            long sourceDocs = 0;
            List<Integer> gs = groupsOfSource.get(s);
            for (int g : gs) {
                sourceTokens += chosenTokens[g];
                sourceDocs += chosenDocs[g];
            }
            o.put("train_tokens", sourceTokens);
            o.put("train_documents", sourceDocs);
            o.put("share", trainTokensAll == 0 ? 0 : (double) sourceTokens / trainTokensAll);
            ObjectNode langs = o.putObject("languages");
            Integer[] order = gs.toArray(new Integer[0]);
            java.util.Arrays.sort(order, Comparator.comparing(g -> table.group(g).key));
            for (int g : order) {
                int i = gs.indexOf(g);
                GroupTable.Group group = table.group(g);
                GroupSplit split = splits[g];
                ObjectNode l = langs.putObject(group.key);
                l.put("records", group.records);
                l.put("documents", group.documents);
                l.put("tokens", group.tokens);
                l.put("heldout_records", split.heldoutRecords());
                l.put("heldout_documents", split.validation().length);
                l.put("heldout_tokens", split.validationTokens());
                l.put("available_train_tokens", split.trainTokens());
                l.put("sampling_probability", plan.probabilities().get(s)[i]);
                l.put("target_tokens", Math.round(plan.groupTargets().get(s)[i]));
                l.put("train_tokens", chosenTokens[g]);
                l.put("train_documents", chosenDocs[g]);
                l.put("epochs", split.trainTokens() == 0 ? 0 : (double) chosenTokens[g] / split.trainTokens());
            }
        }
        return root;
    }
}
