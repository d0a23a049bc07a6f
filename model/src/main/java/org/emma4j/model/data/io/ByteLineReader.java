package org.emma4j.model.data.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into lines without decoding them, so that each line can be checked as UTF-8 on its
 * own and a bad line reported by number (a decoding Reader would fail somewhere mid-stream). A line ends at
 * LF; a CR before the LF is dropped; a last line without LF still counts. Not thread-safe.
 */
public final class ByteLineReader implements AutoCloseable {
    private final InputStream in;
    private final byte[] buffer = new byte[1 << 16];
    private int pos;
    private int limit;
    private byte[] line = new byte[256];
    private int length;
    private long number;

    public ByteLineReader(InputStream in) {
        this.in = in;
    }

    /** Reads the next line into {@link #bytes()}/{@link #length()}; false at the end of the stream. */
    public boolean next() throws IOException {
        length = 0;
        boolean any = false;
        while (true) {
            if (pos == limit) {
                limit = in.read(buffer, 0, buffer.length);
                pos = 0;
                if (limit <= 0) {
                    limit = 0;
                    if (any) {
                        number++;
                    }
                    return any;
                }
            }
            any = true;
            int start = pos;
            while (pos < limit && buffer[pos] != '\n') {
                pos++;
            }
            append(start, pos);
            if (pos < limit) {
                pos++; // the LF
                if (length > 0 && line[length - 1] == '\r') {
                    length--;
                }
                number++;
                return true;
            }
        }
    }

    private void append(int from, int to) {
        int count = to - from;
        if (length + count > line.length) {
            line = Arrays.copyOf(line, Math.max(length + count, line.length * 2));
        }
        System.arraycopy(buffer, from, line, length, count);
        length += count;
    }

    /** The current line's bytes (valid up to {@link #length()}; overwritten by the next call). */
    public byte[] bytes() {
        return line;
    }

    public int length() {
        return length;
    }

    /** A copy of the current line. */
    public byte[] copy() {
        return Arrays.copyOf(line, length);
    }

    /** 1-based number of the current line. */
    public long lineNumber() {
        return number;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
