package org.emma4j.model.safetensors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.emma4j.kernels.DType;
import org.emma4j.model.io.HfJson;

/**
 * The safetensors header: after an 8-byte little-endian length N come N bytes of UTF-8 JSON mapping each
 * tensor name to {@code {"dtype", "shape", "data_offsets": [begin, end]}}, plus an optional
 * {@code "__metadata__"} object of strings. Offsets are relative to the data section that follows the header.
 * Parsing validates the whole layout; encoding writes keys sorted, offsets contiguous and pads the JSON with
 * spaces so the data section starts at a multiple of 8 bytes.
 */
final class SafetensorsHeader {
    private SafetensorsHeader() {
    }

    /** The metadata key; never a tensor name. */
    static final String METADATA_KEY = "__metadata__";

    /** The safetensors library refuses headers above 100 MB; so do we (a corrupt length would otherwise allocate wildly). */
    static final long MAX_HEADER_BYTES = 100_000_000L;

    /** A validated header: entries sorted by name, and the string metadata. */
    record Parsed(List<SafetensorsEntry> entries, Map<String, String> metadata) {
    }

    /**
     * Parses and validates a header. {@code dataSize} is the number of bytes after the header; the tensors
     * must tile it exactly (no gaps, no overlaps, nothing past the end, nothing left over).
     */
    static Parsed parse(byte[] json, String file, long dataSize) throws SafetensorsFormatException {
        JsonNode root;
        try {
            root = HfJson.strictMapper().readTree(json);
        } catch (JsonProcessingException e) {
            String why = e.getOriginalMessage();
            if (why != null && why.startsWith("Duplicate field")) {
                throw new SafetensorsFormatException(file + ": the header lists a name twice (" + why + ")", e);
            }
            throw new SafetensorsFormatException(file + ": the header is not valid JSON (" + why + ")", e);
        } catch (java.io.IOException e) {
            throw new SafetensorsFormatException(file + ": the header cannot be read as JSON (" + e.getMessage() + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new SafetensorsFormatException(file + ": the header must be a JSON object, found "
                    + (root == null ? "nothing" : root.getNodeType()));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<SafetensorsEntry> entries = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (name.equals(METADATA_KEY)) {
                readMetadata(file, value, metadata);
            } else {
                entries.add(readEntry(file, name, value));
            }
        }
        checkLayout(file, entries, dataSize);
        entries.sort(Comparator.comparing(SafetensorsEntry::name));
        return new Parsed(List.copyOf(entries), Map.copyOf(metadata));
    }

    private static void readMetadata(String file, JsonNode value, Map<String, String> out) throws SafetensorsFormatException {
        if (value.isNull()) {
            return;
        }
        if (!value.isObject()) {
            throw new SafetensorsFormatException(file + ": __metadata__ must be an object of strings, found " + value.getNodeType());
        }
        for (Map.Entry<String, JsonNode> m : value.properties()) {
            if (!m.getValue().isTextual()) {
                throw new SafetensorsFormatException(file + ": __metadata__ value '" + m.getKey() + "' must be a string, found " + m.getValue());
            }
            out.put(m.getKey(), m.getValue().textValue());
        }
    }

    private static SafetensorsEntry readEntry(String file, String name, JsonNode v) throws SafetensorsFormatException {
        String where = file + ": tensor '" + name + "'";
        if (!v.isObject()) {
            throw new SafetensorsFormatException(where + ": expected {dtype, shape, data_offsets}, found " + v.getNodeType());
        }
        JsonNode dt = v.get("dtype");
        if (dt == null || !dt.isTextual()) {
            throw new SafetensorsFormatException(where + ": 'dtype' must be a string, found " + dt);
        }
        DType dtype = dtypeOf(where, dt.textValue());
        long[] shape = longs(where, "shape", v.get("shape"), -1);
        long[] offsets = longs(where, "data_offsets", v.get("data_offsets"), 2);
        long begin = offsets[0];
        long end = offsets[1];
        if (end < begin) {
            throw new SafetensorsFormatException(where + ": data_offsets [" + begin + ", " + end + "] end before they begin");
        }
        long expectedBytes;
        try {
            expectedBytes = Math.multiplyExact(SafetensorsEntry.elementCount(shape), (long) dtype.byteSize());
        } catch (ArithmeticException e) {
            throw new SafetensorsFormatException(where + ": shape " + Arrays.toString(shape) + " is too large");
        }
        if (expectedBytes != end - begin) {
            throw new SafetensorsFormatException(where + ": shape " + Arrays.toString(shape) + " of " + dtype + " needs "
                    + expectedBytes + " bytes, but data_offsets [" + begin + ", " + end + "] hold " + (end - begin));
        }
        return new SafetensorsEntry(name, dtype, shape, begin, end);
    }

    private static DType dtypeOf(String where, String name) throws SafetensorsFormatException {
        for (DType t : DType.values()) {
            if (t.safetensorsName().equals(name)) {
                return t;
            }
        }
        throw new SafetensorsFormatException(where + ": dtype " + name + " is not supported; emma4j reads BF16, F16 and F32 weights"
                + " (and I32)");
    }

    private static long[] longs(String where, String field, JsonNode n, int requiredLength) throws SafetensorsFormatException {
        if (n == null || !n.isArray() || (requiredLength >= 0 && n.size() != requiredLength)) {
            throw new SafetensorsFormatException(where + ": '" + field + "' must be an array of "
                    + (requiredLength >= 0 ? requiredLength + " " : "") + "non-negative integers, found " + n);
        }
        long[] out = new long[n.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode e = n.get(i);
            if (!e.isIntegralNumber() || !e.canConvertToLong() || e.longValue() < 0) {
                throw new SafetensorsFormatException(where + ": '" + field + "' must hold non-negative integers, found " + n);
            }
            out[i] = e.longValue();
        }
        return out;
    }

    /** The tensors must tile [0, dataSize) exactly, in some order. */
    private static void checkLayout(String file, List<SafetensorsEntry> entries, long dataSize) throws SafetensorsFormatException {
        for (SafetensorsEntry e : entries) {
            if (e.end() > dataSize) {
                throw new SafetensorsFormatException(file + ": tensor '" + e.name() + "': data_offsets [" + e.begin() + ", " + e.end()
                        + "] run past the end of the data section, which holds " + dataSize + " bytes: the file is truncated"
                        + " or its header is wrong");
            }
        }
        List<SafetensorsEntry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(SafetensorsEntry::begin).thenComparingLong(SafetensorsEntry::end));
        long expected = 0;
        SafetensorsEntry previous = null;
        for (SafetensorsEntry e : byOffset) {
            if (e.begin() < expected) {
                throw new SafetensorsFormatException(file + ": tensor '" + e.name() + "' at [" + e.begin() + ", " + e.end()
                        + ") overlaps tensor '" + previous.name() + "' at [" + previous.begin() + ", " + previous.end() + ")");
            }
            if (e.begin() > expected) {
                throw new SafetensorsFormatException(file + ": tensor '" + e.name() + "' starts at byte " + e.begin() + " but "
                        + (previous == null ? "the data section starts at 0" : "tensor '" + previous.name() + "' ends at " + expected)
                        + ": the data offsets are not contiguous");
            }
            expected = e.end();
            previous = e;
        }
        if (expected != dataSize) {
            throw new SafetensorsFormatException(file + ": the data section holds " + dataSize + " bytes but the tensors cover only "
                    + expected + (previous == null ? "" : " (the last, '" + previous.name() + "', ends there)")
                    + ": the header and the file size disagree");
        }
    }

    /** JSON for entries already laid out contiguously, keys sorted, padded with spaces to a multiple of 8 bytes. */
    static byte[] encode(List<SafetensorsEntry> entries, Map<String, String> metadata) {
        JsonNodeFactory nf = JsonNodeFactory.instance;
        TreeMap<String, JsonNode> sorted = new TreeMap<>();
        if (!metadata.isEmpty()) {
            ObjectNode meta = nf.objectNode();
            new TreeMap<>(metadata).forEach(meta::put);
            sorted.put(METADATA_KEY, meta);
        }
        for (SafetensorsEntry e : entries) {
            ObjectNode o = nf.objectNode();
            o.put("dtype", e.dtype().safetensorsName());
            ArrayNode shape = o.putArray("shape");
            for (long d : e.shape()) {
                shape.add(d);
            }
            o.putArray("data_offsets").add(e.begin()).add(e.end());
            if (sorted.put(e.name(), o) != null) {
                throw new IllegalArgumentException("tensor name '" + e.name() + "' appears twice");
            }
        }
        ObjectNode root = nf.objectNode();
        sorted.forEach(root::set);
        byte[] json = HfJson.compact(root).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }
}
