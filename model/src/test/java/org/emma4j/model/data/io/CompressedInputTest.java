package org.emma4j.model.data.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import org.emma4j.kernels.TestTensors;
import org.emma4j.model.data.BadInputException;
import org.emma4j.model.data.BadInputReason;
import org.emma4j.model.data.TestCorpora;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transparent .gz/.zst reading, line splitting and strict UTF-8. */
class CompressedInputTest {
    @TempDir
    Path dir;

    private static final List<String> FIXTURE_LINES = List.of(
            "{\"lang\":\"fra_Latn\",\"text\":\"Tous les êtres humains naissent libres.\"}",
            "{\"lang\":\"eng_Latn\",\"text\":\"All human beings are born free.\"}",
            "{\"lang\":\"zho_Hans\",\"text\":\"人人生而自由，在尊严和权利上一律平等。\"}");

    private static List<String> lines(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        StrictUtf8 utf8 = new StrictUtf8();
        try (ByteLineReader r = new ByteLineReader(CompressedInput.open(file))) {
            while (r.next()) {
                out.add(utf8.decode(r.bytes(), r.length(), file.toString(), r.lineNumber()));
            }
        }
        return out;
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(CompressedInputTest.class.getResource(name).toURI());
    }

    @Test
    void readsFilesMadeByTheReferenceToolsWithSeveralFramesAndMembers() throws Exception {
        // Made with the zstd and gzip command-line tools: two concatenated zstd frames, two gzip members.
        assertEquals(FIXTURE_LINES, lines(resource("two-frames.jsonl.zst")));
        assertEquals(FIXTURE_LINES, lines(resource("two-members.jsonl.gz")));
    }

    @Test
    void plainGzipAndZstdGiveTheSameBytesAndCountCompressedProgress() throws IOException {
        long seed = TestTensors.freshSeed();
        byte[] content = TestCorpora.text(new SplittableRandom(seed), 20000).getBytes(StandardCharsets.UTF_8);
        Path plain = Files.write(dir.resolve("a.txt"), content);
        Path gz = dir.resolve("a.txt.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(content);
        }
        Path zst = dir.resolve("a.bin"); // recognised by its magic bytes, not by its name
        try (OutputStream out = new ZstdOutputStream(Files.newOutputStream(zst), 3)) {
            out.write(content);
        }
        for (Path p : List.of(plain, gz, zst)) {
            AtomicLong read = new AtomicLong();
            try (InputStream in = CompressedInput.open(p, read)) {
                assertArrayEquals(content, in.readAllBytes(), p + ", seed " + seed);
            }
            assertEquals(Files.size(p), read.get(), "compressed bytes read of " + p);
        }
        assertTrue(Files.size(zst) < content.length && Files.size(gz) < content.length, "the files should really be compressed");
    }

    @Test
    void truncatedCompressedFilesFailInsteadOfEndingEarly() throws IOException {
        byte[] content = "x".repeat(100000).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream zbytes = new ByteArrayOutputStream();
        try (OutputStream out = new ZstdOutputStream(zbytes, 3)) {
            out.write(content);
        }
        ByteArrayOutputStream gbytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(gbytes)) {
            out.write(content);
        }
        for (byte[] whole : List.of(zbytes.toByteArray(), gbytes.toByteArray())) {
            Path cut = Files.write(dir.resolve("cut"), Arrays.copyOf(whole, whole.length - 5));
            assertThrows(IOException.class, () -> {
                try (InputStream in = CompressedInput.open(cut)) {
                    in.readAllBytes();
                }
            });
        }
    }

    @Test
    void linesSplitOnLfDropCrAndKeepALastLineWithoutNewline() throws IOException {
        Path f = Files.write(dir.resolve("l.txt"), "a\r\n\nb\nlast".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("a", "", "b", "last"), lines(f));
        Path longLine = Files.writeString(dir.resolve("long.txt"), "é".repeat(100000) + "\nz\n");
        List<String> got = lines(longLine);
        assertEquals(2, got.size());
        assertEquals(100000, got.get(0).length());
    }

    @Test
    void invalidUtf8NamesFileLineAndByte() {
        StrictUtf8 utf8 = new StrictUtf8();
        byte[][] bad = {
            {'a', (byte) 0xC3},                        // truncated two-byte sequence
            {(byte) 0xC0, (byte) 0xAF},                // overlong '/'
            {'x', (byte) 0xED, (byte) 0xA0, (byte) 0x80}, // a UTF-16 surrogate encoded in UTF-8
            {(byte) 0xFF},
        };
        for (byte[] b : bad) {
            BadInputException e = assertThrows(BadInputException.class, () -> utf8.decode(b, b.length, "f.jsonl", 7));
            assertEquals(BadInputReason.INVALID_UTF8, e.reason());
            assertTrue(e.getMessage().startsWith("f.jsonl:7: invalid_utf8: "), e.getMessage());
        }
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'h', 'i'};
        assertEquals("hi", utf8.decode(bom, bom.length, "f", 1), "a byte-order mark starting the file is dropped");
    }
}
