package org.emma4j.model.io;

import java.util.Locale;

/**
 * Byte sizes written the way Hugging Face's {@code max_shard_size} takes them: "5GB" is 5·10⁹ bytes,
 * "5GiB" is 5·2³⁰; KB/MB/GB/TB are decimal, KiB/MiB/GiB/TiB binary; a bare number is bytes.
 */
public final class ByteSizes {
    private ByteSizes() {
    }

    public static long parse(String text) {
        String s = text.trim().toUpperCase(Locale.ROOT).replace(" ", "");
        String[] units = {"TIB", "GIB", "MIB", "KIB", "TB", "GB", "MB", "KB", "B"};
        long[] factors = {1L << 40, 1L << 30, 1L << 20, 1L << 10, 1_000_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L, 1L};
        long factor = 1;
        String number = s;
        for (int i = 0; i < units.length; i++) {
            if (s.endsWith(units[i])) {
                factor = factors[i];
                number = s.substring(0, s.length() - units[i].length());
                break;
            }
        }
        try {
            double value = Double.parseDouble(number);
            double bytes = value * factor;
            if (!(bytes >= 1) || bytes > Long.MAX_VALUE) {
                throw new IllegalArgumentException("size '" + text + "' must be at least 1 byte");
            }
            return (long) bytes;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cannot read size '" + text + "': expected a number with an optional unit"
                    + " (B, KB, MB, GB, TB, KiB, MiB, GiB, TiB), e.g. 5GB");
        }
    }

    /** A human-readable decimal size, e.g. "16.06 GB". */
    public static String format(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double v = bytes;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, "%.2f %s", v, units[u]);
    }
}
