package org.emma4j.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real thing: {@code emma4j train} in its own JVM, killed with SIGKILL mid-run, then {@code --resume}d in a
 * fresh, cold JVM. Every step's loss in the final log equals, bit for bit, the loss of the same run done
 * uninterrupted here in the (warm) test JVM — so nothing depends on JIT state, thread timing or what was in
 * memory, and the kill left a usable checkpoint whenever it struck. (B·T = 34 rows keeps every matmul on the
 * blocked GEMM path.)
 */
class KillAndResumeProcessTest {

    @TempDir
    Path dir;

    @Test
    void sigkilledRunResumedInAFreshJvmEqualsTheUninterruptedRun() throws Exception {
        String[] settings = {"precision=bf16", "seq_len=17", "max_steps=10", "checkpoint.every=2", "checkpoint.keep_last=2", "eval.every=5"};
        Path outA = dir.resolve("a");
        Path outB = dir.resolve("b");
        Map<Long, Double> expected = new TreeMap<>();
        try (Trainer t = Trainer.start(TinyRuns.parse(TinyRuns.config(dir, outA), settings), new TinyRuns.Console().out)) {
            for (StepRecord r : t.run(Long.MAX_VALUE).steps()) {
                expected.put(r.step(), r.loss());
            }
        }
        Path config = dir.resolve("b.yaml");
        Files.writeString(config, TinyRuns.config(dir, outB));
        List<String> train = new ArrayList<>(List.of("train", "--config", config.toString()));
        for (String s : settings) {
            train.add("--set");
            train.add(s);
        }
        Process first = launch(train, dir.resolve("first.out"));
        long killedAfter = waitForStep(outB.resolve(TrainingLog.FILE), first, 4);
        assertTrue(first.isAlive(), "the first run must still be running when it is killed: " + Files.readString(dir.resolve("first.out")));
        first.destroyForcibly().waitFor(60, TimeUnit.SECONDS);
        assertTrue(killedAfter >= 4, "the first process was killed after step " + killedAfter);

        Process second = launch(List.of("train", "--resume", outB.toString()), dir.resolve("second.out"));
        assertTrue(second.waitFor(300, TimeUnit.SECONDS), "the resumed run finishes");
        String out = Files.readString(dir.resolve("second.out"));
        assertEquals(0, second.exitValue(), out);
        assertTrue(out.contains("train: resuming from " + outB.resolve(CheckpointStore.DIRECTORY)), out);

        Map<Long, Double> got = new TreeMap<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(outB.resolve(TrainingLog.FILE))) {
            JsonNode n = json.readTree(line);
            if (n.get("type").asText().equals("train")) {
                assertEquals(null, got.put(n.get("step").asLong(), n.get("loss").asDouble()), "step " + n.get("step") + " logged twice");
            }
        }
        assertEquals(expected.keySet(), got.keySet());
        for (long step : expected.keySet()) {
            assertEquals(Double.doubleToRawLongBits(expected.get(step)), Double.doubleToRawLongBits(got.get(step)),
                    "loss of step " + step + ": uninterrupted " + expected.get(step) + ", killed and resumed " + got.get(step)
                            + " (killed after step " + killedAfter + ")");
        }
    }

    private Process launch(List<String> args, Path output) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx1g",
                "-cp", System.getProperty("java.class.path"), "org.emma4j.model.cli.Main"));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    /** Polls the log until it holds a train line of step ≥ {@code step}; returns the last step seen. */
    private static long waitForStep(Path log, Process process, long step) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        long last = 0;
        while (System.nanoTime() < deadline && process.isAlive()) {
            if (Files.isRegularFile(log)) {
                for (String line : Files.readAllLines(log)) {
                    var m = java.util.regex.Pattern.compile("\"type\":\"train\",\"step\":(\\d+)").matcher(line);
                    if (m.find()) {
                        last = Math.max(last, Long.parseLong(m.group(1)));
                    }
                }
                if (last >= step) {
                    return last;
                }
            }
            Thread.sleep(5);
        }
        return last;
    }
}
