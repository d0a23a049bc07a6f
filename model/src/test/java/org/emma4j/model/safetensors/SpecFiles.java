package org.emma4j.model.safetensors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The safetensors format written and read straight from the spec, independently of the code under test:
 * hand-built files (8-byte little-endian header length, header JSON, raw data), and a minimal parser that
 * checks a file the way the reference library would, keeping the header's key order.
 */
final class SpecFiles {
    private SpecFiles() {
    }

    /** Writes {@code 8-byte LE length | header | data} exactly as given (no padding added). */
    static Path build(Path file, String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(h.length).put(h).put(data);
        Files.write(file, buf.array());
        return file;
    }

    static byte[] floatsLE(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    static byte[] shortsLE(int... v) {
        ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int s : v) {
            b.putShort((short) s);
        }
        return b.array();
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** A tensor as the minimal parser sees it. */
    record Parsed(String name, String dtype, long[] shape, long begin, long end, byte[] bytes) {
    }

    /**
     * Parses a file as the spec describes it and checks what emma4j promises its writer produces: header length a
     * multiple of 8 with space padding, keys in sorted order, offsets contiguous from 0 in that order and covering
     * the data exactly, dtype names spelled as safetensors spells them, and metadata {"format": "pt"}.
     * Returns the tensors in header order.
     */
    static List<Parsed> parseAndCheckWriterOutput(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        check(n % 8 == 0, file + ": header length " + n + " is not a multiple of 8");
        check(8 + n <= all.length, file + ": header past the end");
        String header = new String(all, 8, (int) n, StandardCharsets.UTF_8);
        check(header.startsWith("{"), "header starts with {");
        String trimmed = header.stripTrailing();
        check(trimmed.endsWith("}"), "header JSON ends with }");
        for (int i = trimmed.length(); i < header.length(); i++) {
            check(header.charAt(i) == ' ', "padding is spaces");
        }
        JsonNode root = new ObjectMapper().readTree(trimmed);
        List<String> keys = new ArrayList<>();
        root.fieldNames().forEachRemaining(keys::add);
        List<String> sortedKeys = new ArrayList<>(keys);
        sortedKeys.sort(null);
        check(keys.equals(sortedKeys), "header keys sorted: " + keys);
        JsonNode meta = root.get("__metadata__");
        check(meta != null && "pt".equals(meta.path("format").asText()), "metadata format pt");
        long dataLength = all.length - 8 - n;
        long expected = 0;
        List<Parsed> out = new ArrayList<>();
        for (String key : keys) {
            if (key.equals("__metadata__")) {
                continue;
            }
            JsonNode e = root.get(key);
            String dtype = e.get("dtype").asText();
            check(Set.of("F32", "BF16", "F16", "I32").contains(dtype), "dtype name " + dtype);
            long[] shape = new long[e.get("shape").size()];
            long elements = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = e.get("shape").get(i).asLong();
                elements *= shape[i];
            }
            long begin = e.get("data_offsets").get(0).asLong();
            long end = e.get("data_offsets").get(1).asLong();
            check(begin == expected, key + ": offsets contiguous in key order (begin " + begin + ", expected " + expected + ")");
            long size = dtype.equals("F32") || dtype.equals("I32") ? 4 : 2;
            check(end - begin == elements * size, key + ": byte length matches shape");
            expected = end;
            byte[] bytes = Arrays.copyOfRange(all, (int) (8 + n + begin), (int) (8 + n + end));
            out.add(new Parsed(key, dtype, shape, begin, end, bytes));
        }
        check(expected == dataLength, "tensors cover the data section exactly");
        return out;
    }

    /** The header JSON's fields, in file order. */
    static Map<String, JsonNode> headerFields(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        JsonNode root = new ObjectMapper().readTree(new String(all, 8, (int) n, StandardCharsets.UTF_8));
        Map<String, JsonNode> m = new LinkedHashMap<>();
        root.properties().forEach(e -> m.put(e.getKey(), e.getValue()));
        return m;
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
