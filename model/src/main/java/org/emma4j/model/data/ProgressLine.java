package org.emma4j.model.data;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress display on a terminal stream (stderr): {@code label  42% (12.3M of 29.1M) 1.2M/s},
 * redrawn in place with '\r' at most five times a second, ended with a newline by {@link #done()}. A null
 * stream makes it silent (tests, pipes that want no noise).
 */
public final class ProgressLine {
    private static final long MIN_INTERVAL_NANOS = 200_000_000L;

    private final PrintStream out;
    private final String label;
    private final long total;
    private final String unit;
    private final long startNanos = System.nanoTime();
    private long lastDraw;
    private int lastWidth;

    /**
     * @param total the amount of work (0 or less when unknown: then only the count is shown)
     * @param unit what is counted, such as "B" or " docs"
     */
    public ProgressLine(PrintStream out, String label, long total, String unit) {
        this.out = out;
        this.label = label;
        this.total = total;
        this.unit = unit;
    }

    /** Shows {@code done} units finished, plus an optional note; cheap when called often. */
    public void update(long done, String note) {
        if (out == null) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDraw < MIN_INTERVAL_NANOS) {
            return;
        }
        lastDraw = now;
        draw(done, note, now);
    }

    /** Draws the final state and ends the line. */
    public void done(long done, String note) {
        if (out == null) {
            return;
        }
        draw(done, note, System.nanoTime());
        out.println();
        out.flush();
    }

    private void draw(long done, String note, long now) {
        double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
        StringBuilder sb = new StringBuilder(label).append(' ');
        if (total > 0) {
            sb.append(String.format(Locale.ROOT, "%3d%% (%s of %s%s)", Math.min(100, (int) (100.0 * done / total)),
                    human(done), human(total), unit));
        } else {
            sb.append(human(done)).append(unit);
        }
        sb.append(' ').append(human((long) (done / seconds))).append(unit).append("/s");
        if (note != null && !note.isEmpty()) {
            sb.append(", ").append(note);
        }
        int width = sb.length();
        while (sb.length() < lastWidth) {
            sb.append(' ');
        }
        lastWidth = width;
        out.print("\r" + sb);
        out.flush();
    }

    /** 1234567 as "1.2M". */
    public static String human(long n) {
        if (n < 1000) {
            return Long.toString(n);
        }
        String[] units = {"k", "M", "G", "T", "P"};
        double v = n;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, v < 10 ? "%.2f%s" : v < 100 ? "%.1f%s" : "%.0f%s", v, units[u]);
    }
}
