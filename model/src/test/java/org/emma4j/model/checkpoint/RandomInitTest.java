package org.emma4j.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.HostConversions;
import org.emma4j.kernels.Tensor;
import org.emma4j.kernels.TestTensors;
import org.emma4j.kernels.cpu.CpuPool;
import org.emma4j.model.config.LlamaConfig;
import org.emma4j.model.config.LlamaShapes;
import org.emma4j.model.safetensors.TensorSource;
import org.emma4j.model.safetensors.WriteProgress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Random initialisation: Hugging Face's distribution, and byte-for-byte determinism. */
class RandomInitTest {

    @TempDir
    Path dir;

    private Path write(String name, LlamaConfig config, long seed, int threads) throws Exception {
        Path p = dir.resolve(name);
        try (CpuPool pool = new CpuPool(threads)) {
            LlamaCheckpointWriter.write(p, config, RandomInit.sources(config, seed, pool),
                    LlamaCheckpointWriter.Options.defaults().withMaxShardBytes(40_000), WriteProgress.NONE);
        }
        return p;
    }

    private static List<String> files(Path dir) throws Exception {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void sameSeedSameBytesWhateverTheThreadCount() throws Exception {
        long seed = TestTensors.freshSeed();
        // Embedding rows span several 65536-element generator blocks.
        LlamaConfig config = LlamaShapes.resolve("dim=64,layers=2,heads=4,kv-heads=2,ffn=96,vocab=2100");
        Path a = write("a", config, seed, 2);
        Path b = write("b", config, seed, 1);
        Path c = write("c", config, seed + 1, 2);
        List<String> names = files(a);
        assertTrue(names.size() > 3, "sharded: " + names);
        assertEquals(names, files(b));
        assertEquals(names, files(c));
        for (String f : names) {
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f + ", seed " + seed);
            boolean weights = f.endsWith(".safetensors");
            assertEquals(!weights, Arrays.equals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(c.resolve(f))),
                    f + ": a different seed changes exactly the weight files (seed " + seed + ")");
        }
    }

    @Test
    void distributionIsNormalWithHuggingFaceStdAndNormsAreOne() throws Exception {
        long seed = TestTensors.freshSeed();
        for (DType dtype : new DType[] {DType.F32, DType.BF16}) {
            LlamaConfig config = LlamaShapes.resolve("dim=128,layers=1,heads=4,kv-heads=2,ffn=384,vocab=1000").withDType(dtype);
            double std = config.initializerRange();
            try (LlamaCheckpoint ckpt = LlamaCheckpoint.open(write("dist-" + dtype, config, seed, 2))) {
                double pooledSq = 0;
                long pooledN = 0;
                long withinOneSigma = 0;
                for (LlamaTensorSpec spec : LlamaTensorNames.specs(config)) {
                    Tensor t = ckpt.weights().byName().get(spec.name());
                    float[] v = HostConversions.toFloats(t.segment(), t.dtype(), t.size());
                    if (spec.kind() == LlamaTensorSpec.Kind.NORM) {
                        for (float x : v) {
                            assertEquals(1.0f, x, spec.name());
                        }
                        continue;
                    }
                    double sum = 0;
                    double sq = 0;
                    for (float x : v) {
                        sum += x;
                        sq += (double) x * x;
                        if (Math.abs(x) < std) {
                            withinOneSigma++;
                        }
                    }
                    int n = v.length;
                    double mean = sum / n;
                    double sampleStd = Math.sqrt(sq / n - mean * mean);
                    // The sample mean has standard error std/sqrt(n): allow 6 of them. The sample std has relative
                    // standard error 1/sqrt(2n) (under 0.6% for n ≥ 16384): allow 5% (bf16 rounding adds ~0.1%).
                    assertTrue(Math.abs(mean) < 6 * std / Math.sqrt(n), spec.name() + " mean " + mean + ", seed " + seed);
                    assertEquals(std, sampleStd, 0.05 * std, spec.name() + " std, seed " + seed);
                    pooledSq += sq;
                    pooledN += n;
                }
                // Pooled over ~0.45M values: std within 0.5% (about 4.7 standard errors), and the normal's 68.27% within ±1σ
                // (standard error 0.07%, allow 0.5%).
                assertEquals(std, Math.sqrt(pooledSq / pooledN), 0.005 * std, dtype + " pooled std, seed " + seed);
                assertEquals(0.6827, (double) withinOneSigma / pooledN, 0.005, dtype + " fraction within 1σ, seed " + seed);
            }
        }
    }

    @Test
    void blocksAndTensorsGetIndependentStreams() throws Exception {
        long seed = TestTensors.freshSeed();
        LlamaConfig config = LlamaShapes.resolve("dim=64,layers=2,heads=4,kv-heads=2,ffn=96,vocab=2100").withDType(DType.F32);
        try (CpuPool pool = new CpuPool(2)) {
            List<TensorSource> sources = RandomInit.sources(config, seed, pool);
            TensorSource embed = sources.getFirst();
            byte[] e = LlamaCheckpointTest.bytesOf(embed);
            int block = RandomInit.BLOCK * 4;
            assertFalse(Arrays.equals(Arrays.copyOfRange(e, 0, 4000), Arrays.copyOfRange(e, block, block + 4000)), "blocks differ");
            byte[] q0 = LlamaCheckpointTest.bytesOf(sources.get(1));
            byte[] q1 = LlamaCheckpointTest.bytesOf(sources.get(10));
            assertEquals("model.layers.1.self_attn.q_proj.weight", sources.get(10).name());
            assertFalse(Arrays.equals(q0, q1), "same-shaped tensors of different layers differ");
            assertFalse(Arrays.equals(Arrays.copyOfRange(q0, 0, 4000), Arrays.copyOfRange(e, 0, 4000)));
        }
    }
}
