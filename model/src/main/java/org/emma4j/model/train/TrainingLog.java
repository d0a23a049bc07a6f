package org.emma4j.model.train;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.emma4j.model.io.AtomicFiles;

/**
 * The run's log: one human line per step (and per evaluation) on the console, the same as JSON Lines in
 * {@code OUT/log.jsonl}, and the loss history the plot is drawn from. A resumed run first drops the lines
 * after its checkpoint's step (the steps it will redo), so the log reads as one uninterrupted run.
 */
final class TrainingLog implements AutoCloseable {
    static final String FILE = "log.jsonl";

    private final PrintStream console;
    private final ObjectMapper json = new ObjectMapper();
    private final BufferedWriter file;
    private final List<double[]> trainLoss = new ArrayList<>();
    private final List<double[]> evalLoss = new ArrayList<>();

    /**
     * Opens {@code OUT/log.jsonl}: a fresh run starts it empty; a run resumed at {@code resumeStep} keeps its lines up to
     * that step (rewritten atomically) and appends after them.
     */
    TrainingLog(Path outDir, PrintStream console, long resumeStep, boolean resumed) throws IOException {
        this.console = console;
        Files.createDirectories(outDir);
        Path path = outDir.resolve(FILE);
        StringBuilder kept = new StringBuilder();
        if (resumed && Files.isRegularFile(path)) {
            for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
                JsonNode n = parse(line);
                if (n == null || n.path("step").asLong(Long.MAX_VALUE) > resumeStep) {
                    continue; // a torn last line, or a step the resumed run redoes
                }
                kept.append(line).append('\n');
                double step = n.path("step").asDouble();
                double loss = n.path("loss").asDouble(Double.NaN);
                if ("train".equals(n.path("type").asText())) {
                    trainLoss.add(new double[] {step, loss});
                } else if ("eval".equals(n.path("type").asText())) {
                    evalLoss.add(new double[] {step, loss});
                }
            }
        }
        AtomicFiles.writeString(path, kept.toString());
        this.file = Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    private JsonNode parse(String line) {
        try {
            return line.isBlank() ? null : json.readTree(line);
        } catch (JacksonException e) {
            return null;
        }
    }

    void step(StepRecord s) throws IOException {
        console.printf(Locale.ROOT, "step %d/%d  loss %.4f  lr %.3e  grad-norm %.4f  %s tok/s  elapsed %s  eta %s%s%n",
                s.step(), s.maxSteps(), s.loss(), s.lr(), s.gradNorm(), rate(s.tokensPerSecond()), duration(s.elapsedSeconds()),
                duration(s.etaSeconds()), s.applied() ? "" : "  (update skipped: non-finite loss or gradient norm)");
        ObjectNode n = json.createObjectNode();
        n.put("type", "train");
        n.put("step", s.step());
        n.put("loss", s.loss());
        n.put("lr", s.lr());
        n.put("grad_norm", s.gradNorm());
        n.put("applied", s.applied());
        n.put("tokens", s.tokensSeen());
        n.put("tokens_per_s", s.tokensPerSecond());
        n.put("elapsed_s", s.elapsedSeconds());
        n.put("eta_s", s.etaSeconds());
        write(n);
        trainLoss.add(new double[] {s.step(), s.loss()});
    }

    void eval(EvalRecord e) throws IOException {
        console.printf(Locale.ROOT, "eval step %d  held-out loss %.4f  ppl %.2f  (%d tokens, %.1f s)%n", e.step(), e.loss(), e.perplexity(),
                e.tokens(), e.seconds());
        ObjectNode n = json.createObjectNode();
        n.put("type", "eval");
        n.put("step", e.step());
        n.put("loss", e.loss());
        n.put("perplexity", e.perplexity());
        n.put("tokens", e.tokens());
        n.put("seconds", e.seconds());
        write(n);
        evalLoss.add(new double[] {e.step(), e.loss()});
    }

    /** A line for people only (setup, checkpoints, warnings). */
    void note(String message) {
        console.println(message);
    }

    private void write(ObjectNode n) throws IOException {
        file.write(json.writeValueAsString(n));
        file.write('\n');
        file.flush();
    }

    /** (step, loss) of every train step so far, across resumes. */
    List<double[]> trainLoss() {
        return trainLoss;
    }

    /** (step, loss) of every evaluation so far, across resumes. */
    List<double[]> evalLoss() {
        return evalLoss;
    }

    static String duration(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "?";
        }
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }

    private static String rate(double perSecond) {
        return perSecond >= 100 ? String.format(Locale.ROOT, "%,.0f", perSecond) : String.format(Locale.ROOT, "%.1f", perSecond);
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
