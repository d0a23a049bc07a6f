package org.emma4j.model.train;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.emma4j.kernels.Tensor;

/** Tiny training runs for tests: synthetic pre-tokenized data and configs of a 2-layer model with an awkward vocabulary. */
final class TinyRuns {
    private TinyRuns() {
    }

    /** GQA (4 query heads over 2 KV heads), head_dim 8, vocabulary 97, untied. */
    static final String SHAPE = "dim=32,layers=2,heads=4,kv-heads=2,ffn=48,vocab=97,max-pos=64";
    static final int VOCAB = 97;

    /**
     * Writes {@code docs} lines of 3..40 tokens that mostly follow t → (5t + 3) mod 97 (so a model can learn
     * them) with some random tokens, as {"input_ids": [...]} objects and bare arrays alternately.
     */
    static Path writeData(Path file, long seed, int docs) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder();
        for (int d = 0; d < docs; d++) {
            int n = 3 + rnd.nextInt(38);
            int t = rnd.nextInt(VOCAB);
            StringBuilder ids = new StringBuilder("[");
            for (int i = 0; i < n; i++) {
                ids.append(i == 0 ? "" : ", ").append(t);
                t = rnd.nextInt(8) == 0 ? rnd.nextInt(VOCAB) : (5 * t + 3) % VOCAB;
            }
            ids.append(']');
            sb.append(d % 2 == 0 ? "{\"input_ids\": " + ids + ", \"lang\": \"x\"}" : ids.toString()).append('\n');
        }
        Files.writeString(file, sb.toString());
        return file;
    }

    /**
     * A config for {@link #SHAPE} on the data in {@code dir} (train.jsonl, heldout.jsonl), with fp32 2-thread defaults;
     * micro-batches of 2 × 17 = 34 rows, so every matmul takes the blocked GEMM path.
     */
    static String config(Path dir, Path out) throws IOException {
        Path train = dir.resolve("train.jsonl");
        Path heldout = dir.resolve("heldout.jsonl");
        if (!Files.exists(train)) {
            writeData(train, 11, 60);
            writeData(heldout, 12, 9);
        }
        return """
                model:
                  shape: "%s"
                data:
                  train: %s
                  heldout: %s
                seq_len: 17
                micro_batch: 2
                global_batch_sequences: 4
                precision: fp32
                optimizer:
                  lr: 1.0e-2
                  weight_decay: 0.1
                  max_grad_norm: 1.0
                schedule:
                  kind: cosine
                  warmup_steps: 2
                seed: 5
                max_steps: 6
                eval:
                  every: 3
                checkpoint:
                  every: 2
                  keep_last: 2
                out_dir: %s
                threads: 2
                """.formatted(SHAPE, train, heldout, out);
    }

    static TrainConfig parse(String yaml, String... overrides) {
        return TrainConfigReader.parse(yaml, "test.yaml", List.of(overrides));
    }

    /** A console that keeps what the trainer prints. */
    static final class Console {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    /** Every master weight's raw float bits, concatenated in model order. */
    static int[] bits(Trainer trainer) {
        var backend = trainer.backend();
        int total = 0;
        for (Tensor t : trainer.master().byName().values()) {
            total += (int) t.size();
        }
        int[] out = new int[total];
        int at = 0;
        for (Tensor t : trainer.master().byName().values()) {
            for (float f : backend.toFloats(t)) {
                out[at++] = Float.floatToRawIntBits(f);
            }
        }
        return out;
    }
}
