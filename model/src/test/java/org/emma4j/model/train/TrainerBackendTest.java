package org.emma4j.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.emma4j.kernels.cpu.CpuBackend;
import org.emma4j.model.io.HfJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer runs on any {@link org.emma4j.kernels.Backend}, not only the CPU backend it creates by default:
 * through {@link DelegatingBackend} (another type, forwarding to a CPU backend) a run gives, bit for bit, the
 * losses, gradient norms, held-out losses, final weights and checkpoint files of the same run on the plain CPU
 * backend. Checkpoints record the device, and a resume that cannot be bit-exact (another device, another CPU
 * thread count) says so; checkpoints written before the device was recorded still resume.
 */
class TrainerBackendTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"fp32", "bf16"})
    void aRunOnAnotherBackendTypeEqualsTheCpuRunBitForBit(String precision) throws Exception {
        TinyRuns.Console console = new TinyRuns.Console();
        Path outCpu = dir.resolve("cpu");
        Path outOther = dir.resolve("other");
        Trainer.Summary cpu;
        int[] cpuWeights;
        try (Trainer t = Trainer.start(TinyRuns.parse(TinyRuns.config(dir, outCpu), "precision=" + precision), console.out)) {
            cpu = t.run(Long.MAX_VALUE);
            cpuWeights = TinyRuns.bits(t);
        }
        Trainer.Summary other;
        int[] otherWeights;
        try (DelegatingBackend backend = new DelegatingBackend(new CpuBackend(2), "delegating(cpu, 2 threads)")) {
            try (Trainer t = Trainer.start(TinyRuns.parse(TinyRuns.config(dir, outOther), "precision=" + precision), backend, console.out)) {
                other = t.run(Long.MAX_VALUE);
                otherWeights = TinyRuns.bits(t);
            }
            assertTrue(backend.calls() > 1000, "the run went through the delegating backend: " + backend.calls() + " calls");
            assertFalse(backend.closed(), "the trainer leaves a caller's backend open");
        }
        assertTrue(cpu.finished() && other.finished());
        assertEquals(losses(cpu), losses(other));
        assertEquals(cpu.steps().stream().map(s -> Double.doubleToRawLongBits(s.gradNorm())).toList(),
                other.steps().stream().map(s -> Double.doubleToRawLongBits(s.gradNorm())).toList());
        assertEquals(cpu.evals().stream().map(e -> Double.doubleToRawLongBits(e.loss())).toList(),
                other.evals().stream().map(e -> Double.doubleToRawLongBits(e.loss())).toList());
        assertArrayEquals(cpuWeights, otherWeights, "final master weights");
        Path a = cpu.lastCheckpoint();
        Path b = other.lastCheckpoint();
        for (String file : List.of("model.safetensors", OptimizerStateFile.FILE, "config.json")) {
            assertArrayEquals(Files.readAllBytes(a.resolve(file)), Files.readAllBytes(b.resolve(file)), file);
        }
        assertEquals("cpu(2 threads)", RunCheckpoint.readState(a).device());
        assertEquals("delegating(cpu, 2 threads)", RunCheckpoint.readState(b).device());
    }

    @Test
    void resumeWarnsWhenItCannotBeBitExactAndReadsCheckpointsWithoutADevice() throws Exception {
        Path outWhole = dir.resolve("whole");
        Trainer.Summary whole;
        try (Trainer t = Trainer.start(TinyRuns.parse(TinyRuns.config(dir, outWhole)), new TinyRuns.Console().out)) {
            whole = t.run(Long.MAX_VALUE);
        }
        Path outKilled = dir.resolve("killed");
        try (Trainer t = Trainer.start(TinyRuns.parse(TinyRuns.config(dir, outKilled)), new TinyRuns.Console().out)) {
            t.run(3);
        }
        Path ckpt = CheckpointStore.resolveResume(outKilled);
        assertEquals("step-00000002", ckpt.getFileName().toString());
        assertEquals("cpu(2 threads)", RunCheckpoint.readState(ckpt).device());

        // The same device and thread count: no warning.
        assertFalse(resumeOutput(ckpt, "same").contains("warning"));
        // Another CPU thread count.
        assertTrue(resumeOutput(ckpt, "threads", "threads=1").contains("train: warning: the checkpoint was trained with 2 threads and "
                + "this run uses 1; losses will not be bit-identical"));

        // Another device: a warning, and the run continues (here bit-exactly, since the "GPU" is the CPU underneath).
        TinyRuns.Console console = new TinyRuns.Console();
        TrainConfig onGpu = Trainer.savedConfig(ckpt, List.of("out_dir=" + dir.resolve("gpu")));
        Trainer.Summary rest;
        try (DelegatingBackend gpu = new DelegatingBackend(new CpuBackend(2), "cuda:7 (a CPU in disguise)");
             Trainer t = Trainer.resume(onGpu, ckpt, gpu, console.out)) {
            rest = t.run(Long.MAX_VALUE);
        }
        assertTrue(console.text().contains("train: warning: the checkpoint was trained on cpu(2 threads) and this run uses "
                + "cuda:7 (a CPU in disguise); losses will not be bit-identical"), console.text());
        assertEquals(losses(whole).subList(2, 6), losses(rest));
        assertEquals("cuda:7 (a CPU in disguise)", RunCheckpoint.readState(rest.lastCheckpoint()).device());

        // A checkpoint from before the device was recorded came from the CPU: it resumes there without a warning.
        Path state = ckpt.resolve(TrainerState.FILE);
        ObjectNode json = (ObjectNode) HfJson.strictMapper().readTree(Files.readString(state));
        json.remove("device");
        Files.writeString(state, HfJson.pretty(json));
        assertNull(RunCheckpoint.readState(ckpt).device());
        assertFalse(resumeOutput(ckpt, "old").contains("warning"));
        console = new TinyRuns.Console();
        try (DelegatingBackend gpu = new DelegatingBackend(new CpuBackend(2), "cuda:0 (another)");
             Trainer t = Trainer.resume(Trainer.savedConfig(ckpt, List.of("out_dir=" + dir.resolve("old-gpu"))), ckpt, gpu, console.out)) {
            assertEquals(2, t.step());
        }
        assertTrue(console.text().contains("the checkpoint was trained on cpu and this run uses cuda:0 (another)"), console.text());
    }

    /** What resuming {@code ckpt} on a CPU backend (into a fresh out_dir) prints before any step. */
    private String resumeOutput(Path ckpt, String out, String... overrides) throws Exception {
        List<String> settings = new java.util.ArrayList<>(List.of(overrides));
        settings.add("out_dir=" + dir.resolve(out));
        TinyRuns.Console console = new TinyRuns.Console();
        try (Trainer t = Trainer.resume(Trainer.savedConfig(ckpt, settings), ckpt, console.out)) {
            assertEquals(2, t.step());
        }
        return console.text();
    }

    private static List<Long> losses(Trainer.Summary s) {
        return s.steps().stream().map(r -> Double.doubleToRawLongBits(r.loss())).toList();
    }
}
