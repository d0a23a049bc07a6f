package org.emma4j.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.emma4j.kernels.DType;
import org.emma4j.kernels.Tensor;
import org.emma4j.model.checkpoint.LlamaCheckpoint;
import org.emma4j.model.checkpoint.LlamaCheckpointWriter;
import org.emma4j.model.checkpoint.RandomInit;
import org.emma4j.model.config.LlamaConfig;
import org.emma4j.model.config.LlamaShapes;
import org.emma4j.model.safetensors.WriteProgress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run started from a shape holds exactly the weights {@code ./emma4j init} writes for that shape and seed
 * (F32, bit for bit), including tensors large enough that the random fill is spread over the pool's threads.
 */
class InitialWeightsTest {

    @TempDir
    Path dir;

    @Test
    void shapeStartEqualsInitCommandWeights() throws Exception {
        String shape = "dim=64,layers=1,heads=4,kv-heads=2,ffn=96,vocab=2500,max-pos=64"; // embedding: 160,000 values, 3 fill blocks
        TrainConfig c = TinyRuns.parse(TinyRuns.config(dir, dir.resolve("out")), "model.shape=" + shape, "model.seed=77", "max_steps=2");
        LlamaConfig config = LlamaShapes.resolve(shape).withDType(DType.F32);
        Path init = dir.resolve("init");
        try (var pool = new org.emma4j.kernels.cpu.CpuPool(2)) {
            LlamaCheckpointWriter.write(init, config, RandomInit.sources(config, 77, pool), LlamaCheckpointWriter.Options.defaults(),
                    WriteProgress.NONE);
        }
        try (Trainer t = Trainer.start(c, new TinyRuns.Console().out); LlamaCheckpoint expected = LlamaCheckpoint.open(init)) {
            assertEquals(config, t.model());
            Map<String, Tensor> want = expected.weights().byName();
            for (var e : t.master().byName().entrySet()) {
                assertArrayEquals(t.backend().toFloats(want.get(e.getKey())), t.backend().toFloats(e.getValue()), e.getKey());
            }
            assertEquals(List.copyOf(want.keySet()), List.copyOf(t.master().byName().keySet()));
        }
    }
}
