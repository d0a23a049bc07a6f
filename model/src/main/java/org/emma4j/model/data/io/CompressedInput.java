package org.emma4j.model.data.io;

import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * Opens a data file that may be compressed, recognising the compression by its first bytes (not by its
 * name): gzip ({@code 1F 8B}, java.util.zip, concatenated members included) and Zstandard
 * ({@code 28 B5 2F FD}, zstd-jni, concatenated frames included); anything else is read as it is.
 */
public final class CompressedInput {
    private static final int BUFFER = 1 << 16;

    private CompressedInput() {
    }

    /** Opens {@code file} for reading its decompressed bytes. */
    public static InputStream open(Path file) throws IOException {
        return open(file, null);
    }

    /**
     * Opens {@code file}; {@code compressedBytesRead} (may be null) is advanced by the bytes read from the
     * file itself, for progress over compressed input.
     */
    public static InputStream open(Path file, AtomicLong compressedBytesRead) throws IOException {
        InputStream raw = Files.newInputStream(file);
        try {
            if (compressedBytesRead != null) {
                raw = new Counting(raw, compressedBytesRead);
            }
            BufferedInputStream in = new BufferedInputStream(raw, BUFFER);
            in.mark(4);
            byte[] magic = in.readNBytes(4);
            in.reset();
            if (magic.length >= 2 && (magic[0] & 0xFF) == 0x1F && (magic[1] & 0xFF) == 0x8B) {
                return new BufferedInputStream(new GZIPInputStream(in, BUFFER), BUFFER);
            }
            if (magic.length == 4 && (magic[0] & 0xFF) == 0x28 && (magic[1] & 0xFF) == 0xB5
                    && (magic[2] & 0xFF) == 0x2F && (magic[3] & 0xFF) == 0xFD) {
                ZstdInputStream zstd = new ZstdInputStream(in);
                zstd.setContinuous(false);
                return new BufferedInputStream(zstd, BUFFER);
            }
            return in;
        } catch (IOException | RuntimeException | Error e) {
            raw.close();
            throw e;
        }
    }

    /** Counts the bytes that pass through. */
    private static final class Counting extends FilterInputStream {
        private final AtomicLong counter;

        Counting(InputStream in, AtomicLong counter) {
            super(in);
            this.counter = counter;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                counter.incrementAndGet();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                counter.addAndGet(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            counter.addAndGet(skipped);
            return skipped;
        }
    }
}
