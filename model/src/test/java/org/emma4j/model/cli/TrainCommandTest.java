package org.emma4j.model.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.emma4j.bindings.CudaProbe;
import org.emma4j.model.checkpoint.LlamaCheckpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code emma4j train} end to end on a tiny model: a run, its files, a resume with an override, the errors, and --device. */
class TrainCommandTest {

    @TempDir
    Path dir;

    private final CliRunner cli = new CliRunner();


    private Path data(String name, long seed, int lines) throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder();
        for (int l = 0; l < lines; l++) {
            int n = 4 + rnd.nextInt(30);
            int t = rnd.nextInt(61);
            sb.append("{\"input_ids\": [");
            for (int i = 0; i < n; i++) {
                sb.append(i == 0 ? "" : ", ").append(t);
                t = (t * 7 + 2) % 61;
            }
            sb.append("]}\n");
        }
        return Files.writeString(dir.resolve(name), sb.toString());
    }

    @Test
    void trainsWritesLogPlotAndCheckpointsThenResumes() throws Exception {
        Path out = dir.resolve("run");
        Path config = dir.resolve("train.yaml");
        Files.writeString(config, """
                # a tiny run
                model:
                  shape: dim=16,layers=1,heads=2,kv-heads=1,ffn=32,vocab=61,max-pos=32
                data:
                  train: %s
                  heldout: %s
                seq_len: 16
                micro_batch: 2
                global_batch_tokens: 64
                precision: bf16
                recompute: true
                optimizer: {lr: 0.01}
                schedule: {kind: wsd, warmup_steps: 1, decay_fraction: 0.5}
                max_steps: 3
                eval: {every: 2}
                checkpoint: {every: 2, keep_last: 1}
                out_dir: %s
                threads: 1
                """.formatted(data("train.jsonl", 1, 40), data("held.jsonl", 2, 5), out));
        assertEquals(0, cli.run("train", "--config", config.toString(), "--set", "max_steps=4"), cli.err());

        List<String> log = Files.readAllLines(out.resolve("log.jsonl"));
        assertEquals(4, log.stream().filter(l -> l.startsWith("{\"type\":\"train\"")).count(), log.toString());
        assertEquals(2, log.stream().filter(l -> l.startsWith("{\"type\":\"eval\"")).count(), "evals at steps 2 and 4");
        assertTrue(log.getFirst().matches("\\{\"type\":\"train\",\"step\":1,\"loss\":[0-9.]+,\"lr\":[0-9.E-]+,\"grad_norm\":[0-9.E-]+,"
                + "\"applied\":true,\"tokens\":64,\"tokens_per_s\":.*,\"elapsed_s\":.*,\"eta_s\":.*}"), log.getFirst());
        BufferedImage png = ImageIO.read(out.resolve("loss.png").toFile());
        assertNotNull(png, "loss.png is a PNG");
        assertEquals(900, png.getWidth());
        Path ckpt = out.resolve("checkpoints").resolve("step-00000004");
        assertEquals(List.of(ckpt), Files.list(out.resolve("checkpoints")).filter(Files::isDirectory).toList(), "keep_last 1");
        try (LlamaCheckpoint loaded = LlamaCheckpoint.open(ckpt)) {
            assertEquals(61, loaded.config().vocabSize());
            assertEquals(org.emma4j.kernels.DType.BF16, loaded.config().dtype(), "bf16 training writes bf16 model files");
        }
        assertTrue(Files.readString(ckpt.resolve("train_config.yaml")).contains("max_steps: 4"));
        assertTrue(Files.readString(ckpt.resolve("trainer_state.json")).contains("\"step\": 4"));

        // Resume from the run directory with its saved config, extended by an override.
        assertEquals(0, cli.run("train", "--resume", out.toString(), "--set", "max_steps=5"), cli.err());
        log = Files.readAllLines(out.resolve("log.jsonl"));
        assertEquals(5, log.stream().filter(l -> l.startsWith("{\"type\":\"train\"")).count());
        assertTrue(Files.isDirectory(out.resolve("checkpoints").resolve("step-00000005")));

        // A new run into the same out_dir is refused; unknown keys and mismatched batches are errors naming the culprit.
        assertEquals(1, cli.run("train", "--config", config.toString()));
        assertTrue(cli.err().contains("already holds checkpoints (newest: step-00000005)"), cli.err());
        assertEquals(1, cli.run("train", "--config", config.toString(), "--set", "optimizer.lrr=1"));
        assertTrue(cli.err().contains("emma4j train: --set optimizer.lrr=1: unknown key 'optimizer.lrr'; valid keys in optimizer: "
                + "beta1, beta2, eps, lr, max_grad_norm, weight_decay"), cli.err());
        assertEquals(1, cli.run("train", "--config", config.toString(), "--set", "global_batch_tokens=100", "--set", "out_dir=" + dir.resolve("o2")));
        assertTrue(cli.err().contains("global_batch_tokens 100 is not a multiple of micro_batch × seq_len = 2 × 16 = 32 tokens"), cli.err());
        assertEquals(1, cli.run("train", "--config", config.toString(), "--set", "data.train=" + dir.resolve("missing.jsonl"), "--set",
                "out_dir=" + dir.resolve("o3")));
        assertTrue(cli.err().contains("missing.jsonl: token data not found"), cli.err());
        assertTrue(!Files.exists(dir.resolve("o3")), "nothing is written before the data is found");
        assertEquals(1, cli.run("train"));
        assertTrue(cli.err().contains("--config FILE is required"), cli.err());
        Path typo = dir.resolve("typo.yaml");
        Files.writeString(typo, Files.readString(config).replace("seq_len:", "seq_length:"));
        assertEquals(1, cli.run("train", "--config", typo.toString()));
        assertTrue(cli.err().contains(typo + ": unknown key 'seq_length'"), cli.err());
    }

    /** A two-step run on one thread with one checkpoint at the end, writing to {@code out}. */
    private Path tinyConfig(Path out) throws Exception {
        return Files.writeString(dir.resolve("tiny.yaml"), """
                model:
                  shape: dim=16,layers=1,heads=2,kv-heads=1,ffn=32,vocab=61,max-pos=32
                data:
                  train: %s
                seq_len: 16
                micro_batch: 2
                precision: fp32
                optimizer: {lr: 0.01}
                max_steps: 2
                out_dir: %s
                threads: 1
                """.formatted(data("train.jsonl", 1, 40), out));
    }

    @Test
    void deviceCpuWithThreadsFromTheCommandLine() throws Exception {
        Path out = dir.resolve("run");
        assertEquals(0, cli.run("train", "--config", tinyConfig(out).toString(), "--device", "cpu", "--threads", "2"), cli.err());
        assertTrue(cli.err().contains("emma4j: --device cpu -> cpu(2 threads)"), cli.err());
        String state = Files.readString(out.resolve("checkpoints").resolve("step-00000002").resolve("trainer_state.json"));
        assertTrue(state.contains("\"threads\": 2") && state.contains("\"device\": \"cpu(2 threads)\""), state);
        assertTrue(Files.readString(out.resolve("train_config.yaml")).contains("threads: 2"), "--threads overrides the config's threads: 1");
    }

    @Test
    void autoChoosesTheCpuWithoutAGpuAndSaysWhy() throws Exception {
        CudaProbe.Result probe = CudaProbe.probe(0);
        assumeFalse(probe.usable(), "this machine has a usable GPU, which --device auto takes");
        Path out = dir.resolve("run");
        assertEquals(0, cli.run("train", "--config", tinyConfig(out).toString(), "--device", "auto"), cli.err());
        assertTrue(cli.err().contains("emma4j: --device auto chose the CPU because " + probe.reason() + " -> cpu(1 threads)"),
                cli.err());
        assertTrue(Files.isDirectory(out.resolve("checkpoints").resolve("step-00000002")));
    }

    @Test
    void cudaWithoutAGpuFailsWithTheProbesReasonBeforeWritingAnything() throws Exception {
        CudaProbe.Result probe = CudaProbe.probe(0);
        assumeFalse(probe.usable(), "this machine has a usable GPU");
        Path out = dir.resolve("run");
        Path config = tinyConfig(out);
        assertEquals(1, cli.run("train", "--config", config.toString(), "--device", "cuda"));
        assertTrue(cli.err().contains("emma4j train: --device cuda: no usable GPU: " + probe.reason()), cli.err());
        assertFalse(Files.exists(out), "no out_dir, log or checkpoint");
        assertEquals(1, cli.run("train", "--config", config.toString(), "--device", "tpu"));
        assertTrue(cli.err().contains("unknown device 'tpu'"), cli.err());
        assertFalse(Files.exists(out));
    }
}
