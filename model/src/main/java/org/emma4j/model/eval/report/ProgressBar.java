package org.emma4j.model.eval.report;

import java.io.PrintWriter;
import java.util.Locale;
import org.emma4j.model.eval.tasks.Progress;

/** A one-line progress bar on a stream (stderr): done/total, rate and time left, redrawn at most twice a second. */
public final class ProgressBar implements Progress {
    private static final int WIDTH = 30;
    private final PrintWriter out;
    private String label = "";
    private int total;
    private int done;
    private long startNanos;
    private long lastDrawNanos;

    public ProgressBar(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void begin(String label, int total) {
        this.label = label;
        this.total = total;
        this.done = 0;
        this.startNanos = System.nanoTime();
        this.lastDrawNanos = 0;
        draw();
    }

    @Override
    public void advance() {
        done++;
        long now = System.nanoTime();
        if (now - lastDrawNanos > 500_000_000L || done == total) {
            draw();
        }
    }

    @Override
    public void end() {
        draw();
        out.println();
        out.flush();
    }

    /** The bar as text, e.g. "xcopa et [#####.....] 5/10 2.0 it/s, 3s left". */
    String line() {
        int filled = total == 0 ? WIDTH : (int) ((long) WIDTH * done / total);
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        String eta = rate > 0 && done < total ? String.format(Locale.ROOT, ", %ds left", Math.round((total - done) / rate)) : "";
        return String.format(Locale.ROOT, "%s [%s%s] %d/%d %.2f it/s%s", label, "#".repeat(filled), ".".repeat(WIDTH - filled), done, total,
                rate, eta);
    }

    private void draw() {
        lastDrawNanos = System.nanoTime();
        out.print("\r" + line());
        out.flush();
    }
}
