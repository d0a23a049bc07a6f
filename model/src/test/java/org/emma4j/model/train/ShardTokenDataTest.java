package org.emma4j.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.emma4j.kernels.TestTensors;
import org.emma4j.model.data.loader.DataLoader;
import org.emma4j.model.data.mix.BosPolicy;
import org.emma4j.model.data.mix.TokenDType;
import org.emma4j.model.data.shards.ShardIndex;
import org.emma4j.model.data.shards.ShardInfo;
import org.emma4j.model.data.shards.ShardWriter;
import org.emma4j.model.data.shards.SplitInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Token shards (the data pipeline's output) behind the trainer's data interface: every packed sequence once per
 * epoch, in exactly the order the pipeline's DataLoader gives, positions that resume exactly, the validation
 * split as held-out data, and a shard-fed run that resumes bit for bit.
 */
class ShardTokenDataTest {
    private static final int IGN = LlamaTraining.IGNORE_INDEX;
    private static final int PAD = 1;

    @TempDir
    Path dir;

    /** Train (n sequences) and validation (5) splits of T + 1 random tokens; each split's last sequence has 5 real tokens. */
    private Path shards(int n, int seqLen, long seed) throws IOException {
        Path out = Files.createDirectories(dir.resolve("shards"));
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<String, SplitInfo> splits = new LinkedHashMap<>();
        for (String split : List.of("train", "validation")) {
            int count = split.equals("train") ? n : 5;
            long valid = 0;
            List<ShardInfo> infos;
            try (ShardWriter w = new ShardWriter(out, split, TokenDType.UINT32, seqLen + 1, 7, PAD)) {
                for (int i = 0; i < count; i++) {
                    int v = i == count - 1 ? 5 : seqLen + 1;
                    int[] seq = new int[seqLen + 1];
                    java.util.Arrays.fill(seq, PAD);
                    for (int t = 0; t < v; t++) {
                        seq[t] = rnd.nextInt(TinyRuns.VOCAB);
                    }
                    w.write(seq, v);
                    valid += v;
                }
                infos = w.finish();
            }
            splits.put(split, new SplitInfo(count, valid, count, infos));
        }
        new ShardIndex(seqLen, TokenDType.UINT32, BosPolicy.NONE, 0, PAD, PAD, seed, TinyRuns.VOCAB, "test", splits).write(out);
        return out;
    }

    @Test
    void sequencesComeInTheDataLoadersOrderAndResumeExactly() throws Exception {
        long seed = TestTensors.freshSeed();
        int t = 12;
        int n = 23;
        Path shards = shards(n, t, seed);
        try (TrainingData data = TrainingDataSources.open(shards, false, t, TinyRuns.VOCAB, seed, true);
             DataLoader reference = DataLoader.open(shards, "train", t, 4, seed, 0, 1)) {
            assertEquals(n, data.sequencesPerEpoch());
            // The loader's own micro-batches of 4, flattened, are the adapter's sequence stream (two epochs).
            List<int[]> expected = new ArrayList<>();
            int[] in = new int[4 * t];
            int[] lab = new int[4 * t];
            for (long s = 0; s < 2 * reference.stepsPerEpoch(); s++) {
                int real = reference.nextBatch(in, lab);
                for (int r = 0; r < real; r++) {
                    expected.add(concat(java.util.Arrays.copyOfRange(in, r * t, (r + 1) * t), java.util.Arrays.copyOfRange(lab, r * t, (r + 1) * t)));
                }
            }
            List<int[]> got = new ArrayList<>();
            DataPosition mid = null;
            for (int i = 0; i < 2 * n; i++) {
                if (i == n + 9) {
                    mid = data.position();
                }
                int[] a = new int[t];
                int[] b = new int[t];
                data.next(a, b, 0);
                got.add(concat(a, b));
            }
            assertEquals(expected.size(), got.size());
            for (int i = 0; i < got.size(); i++) {
                assertArrayEquals(expected.get(i), got.get(i), "sequence " + i + "; seed " + seed);
            }
            assertEquals(new DataPosition(1, 9), mid);
            long padded = got.stream().filter(s -> s[2 * t - 1] == IGN).count();
            assertEquals(2, padded, "the split's short last sequence, once per epoch, has ignored labels after its 5 tokens");
            data.seek(mid);
            for (int i = n + 9; i < 2 * n; i++) {
                int[] a = new int[t];
                int[] b = new int[t];
                data.next(a, b, 0);
                assertArrayEquals(got.get(i), concat(a, b), "after seek, sequence " + i);
            }
        }
        try (TrainingData heldout = TrainingDataSources.open(shards, true, t, TinyRuns.VOCAB, seed, false)) {
            assertEquals(5, heldout.sequencesPerEpoch(), "held-out data is the validation split");
            assertTrue(heldout.describe().contains("validation split"));
        }
        var e = assertThrows(IllegalArgumentException.class, () -> TrainingDataSources.open(shards, false, t + 1, TinyRuns.VOCAB, seed, true));
        assertTrue(e.getMessage().contains("seq_len"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainingDataSources.open(shards, false, t, TinyRuns.VOCAB - 1, seed, true));
        assertTrue(e.getMessage().contains("vocabulary of 97 tokens, more than the model's 96"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainingDataSources.open(dir, false, t, TinyRuns.VOCAB, seed, true));
        assertTrue(e.getMessage().contains("not a token shard directory"), e.getMessage());
    }

    @Test
    void aShardFedRunResumesBitForBit() throws Exception {
        Path shards = shards(30, 17, 3);
        String yaml = TinyRuns.config(dir, dir.resolve("unused"));
        String[] common = {"data.train=" + shards, "data.heldout=" + shards, "max_steps=4", "checkpoint.every=2", "eval.every=2"};
        List<StepRecord> whole;
        try (Trainer t = Trainer.start(TinyRuns.parse(yaml, with(common, "out_dir=" + dir.resolve("a"))), new TinyRuns.Console().out)) {
            Trainer.Summary s = t.run(Long.MAX_VALUE);
            whole = s.steps();
            assertEquals(2, s.evals().size());
            assertTrue(s.evals().getFirst().tokens() > 0);
        }
        Path outB = dir.resolve("b");
        try (Trainer t = Trainer.start(TinyRuns.parse(yaml, with(common, "out_dir=" + outB)), new TinyRuns.Console().out)) {
            t.run(3);
        }
        Path ckpt = CheckpointStore.resolveResume(outB);
        try (Trainer t = Trainer.resume(Trainer.savedConfig(ckpt, List.of()), ckpt, new TinyRuns.Console().out)) {
            List<StepRecord> rest = t.run(Long.MAX_VALUE).steps();
            assertEquals(2, rest.size());
            for (StepRecord r : rest) {
                assertEquals(Double.doubleToRawLongBits(whole.get((int) r.step() - 1).loss()), Double.doubleToRawLongBits(r.loss()),
                        "step " + r.step());
            }
        }
    }

    private static String[] with(String[] a, String b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + 1);
        out[a.length] = b;
        return out;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
