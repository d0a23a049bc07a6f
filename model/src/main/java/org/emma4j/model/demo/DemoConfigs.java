package org.emma4j.model.demo;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The YAML configs the demo writes into its run directory: three data mixes for prepare and the training runs. */
final class DemoConfigs {
    private DemoConfigs() {
    }

    private static String quoted(Path p) {
        return "'" + p.toAbsolutePath().normalize().toString().replace("'", "''") + "'";
    }

    private static String list(List<String> items) {
        return items.stream().collect(Collectors.joining(", ", "[", "]"));
    }

    private static String header(DemoPlan plan, long seed, String what) {
        return "# emma4j demo: " + what + " (written by UdhrAblation)\n"
                + "seed: " + seed + "\nseq_len: " + plan.seqLen() + "\nbos: sequence_start\n"
                + "heldout:\n  documents_per_language: 1\nsources:\n";
    }

    private static String monolingual(Path corpus, DemoPlan plan, String weight) {
        return "  - name: monolingual\n    type: monolingual\n    paths: [" + quoted(corpus.resolve("mono/train.jsonl.zst")) + "]\n"
                + "    weight: " + weight + "\n    alpha: 0.3\n    allow_unknown_languages: true\n    languages: " + list(plan.languages()) + "\n";
    }

    /** Monolingual text of every demo language (pre-training and the monolingual continuation). */
    static String monoMix(Path corpus, DemoPlan plan, long seed) {
        return header(plan, seed, "monolingual mix") + monolingual(corpus, plan, "1");
    }

    /** Monolingual text plus English-X pairs in the EMMA-500 template, as data/udhr/mix-bilingual.yaml (68:32). */
    static String bilingualMix(Path corpus, DemoPlan plan, long seed) {
        List<String> pairs = plan.others().stream().map(l -> DemoPlan.ENGLISH + "-" + l).toList();
        return header(plan, seed, "monolingual + bilingual mix") + monolingual(corpus, plan, "68")
                + "  - name: bilingual\n    type: bilingual\n    paths: [" + quoted(corpus.resolve("bilingual/train.jsonl.zst")) + "]\n"
                + "    weight: 32\n    alpha: 0.3\n    direction: random\n    allow_unknown_languages: true\n"
                + "    template: \"[{src_name}]: {src_text}\\n[{tgt_name}]: {tgt_text}\"\n"
                + "    language_names: " + quoted(corpus.resolve("languages.tsv")) + "\n"
                + "    languages: " + list(pairs) + "\n";
    }

    /**
     * A training run: from a random {@code shape} (initFrom null) or continuing {@code initFrom}, on a shard directory,
     * fp32, cosine schedule, one checkpoint at the end.
     */
    static String train(DemoPlan plan, int vocab, Path tokenizerDir, Path initFrom, Path shards, Path out, int steps, double lr, long seed,
                        int threads) {
        String model = initFrom == null
                ? "model:\n  shape: '" + plan.shape() + ",vocab=" + vocab + "'\n  tokenizer: " + quoted(tokenizerDir) + "\n  seed: " + seed + "\n"
                : "model:\n  init_from: " + quoted(initFrom) + "\n";
        int warmup = Math.max(1, steps / 10);
        return "# emma4j demo: training run (written by UdhrAblation)\n" + model
                + "data:\n  train: " + quoted(shards) + "\n  heldout: " + quoted(shards) + "\n"
                + "seq_len: " + plan.seqLen() + "\nmicro_batch: " + plan.microBatch() + "\nprecision: fp32\n"
                + String.format(Locale.ROOT, "optimizer:\n  lr: %s\n  weight_decay: 0.1\n  max_grad_norm: 1.0\n", lr)
                + String.format(Locale.ROOT, "schedule:\n  kind: cosine\n  warmup_steps: %d\n  min_lr: %s\n", warmup, lr / 10)
                + "seed: " + seed + "\nmax_steps: " + steps + "\n"
                + "eval:\n  every: 0\n  max_batches: 8\n"
                + "checkpoint:\n  every: 0\n  keep_last: 1\n  dtype: f32\n"
                + "out_dir: " + quoted(out) + "\nthreads: " + threads + "\n";
    }
}
