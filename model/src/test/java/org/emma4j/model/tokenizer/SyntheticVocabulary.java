package org.emma4j.model.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A random byte-level BPE vocabulary, written as tokenizer.json and as a tiktoken file, with the two
 * textbook merge algorithms to check the encoder against: tiktoken's (merge the adjacent pair whose
 * concatenation has the lowest rank) and Hugging Face's (merge the adjacent pair listed first in the
 * merges). Tokens are grown from a small alphabet so that words merge deeply.
 */
public final class SyntheticVocabulary {
    public static final List<String> SPECIALS = List.of("<|begin_of_text|>", "<|end_of_text|>", "<|eot_id|>", "<|x|>");

    /** Letters only, so that a word of them is one pre-tokenizer piece: a-f, é (C3 A9) and ß (C3 9F). */
    static final String LETTERS = "abcdefé";

    final List<byte[]> tokens = new ArrayList<>();
    /** Merge rules in priority order: {left id, right id, merged id}. */
    final List<int[]> merges = new ArrayList<>();
    private final Map<String, Integer> idOfBytes = new HashMap<>();
    private final Map<Long, Integer> mergeRank = new HashMap<>();

    public static SyntheticVocabulary random(SplittableRandom rnd, int mergeCount) {
        SyntheticVocabulary v = new SyntheticVocabulary();
        int[] byteOrder = shuffledBytes(rnd);
        for (int b : byteOrder) {
            v.addToken(new byte[] {(byte) b});
        }
        byte[] letters = LETTERS.getBytes(StandardCharsets.UTF_8);
        List<Integer> growable = new ArrayList<>();
        for (byte b : letters) {
            growable.add(v.idOfBytes.get(key(new byte[] {b})));
        }
        int attempts = 0;
        while (v.merges.size() < mergeCount && attempts++ < mergeCount * 50) {
            int left = growable.get(rnd.nextInt(growable.size()));
            int right = growable.get(rnd.nextInt(growable.size()));
            byte[] merged = concat(v.tokens.get(left), v.tokens.get(right));
            if (merged.length > 10 || v.idOfBytes.containsKey(key(merged))) {
                continue;
            }
            int id = v.addToken(merged);
            v.merges.add(new int[] {left, right, id});
            v.mergeRank.put(pair(left, right), v.merges.size() - 1);
            growable.add(id);
        }
        return v;
    }

    private static int[] shuffledBytes(SplittableRandom rnd) {
        int[] order = new int[256];
        for (int i = 0; i < 256; i++) {
            order[i] = i;
        }
        for (int i = 255; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private int addToken(byte[] bytes) {
        tokens.add(bytes);
        idOfBytes.put(key(bytes), tokens.size() - 1);
        return tokens.size() - 1;
    }

    int specialId(String text) {
        return tokens.size() + SPECIALS.indexOf(text);
    }

    /** A random word of {@link #LETTERS} with {@code length} characters. */
    public static String randomWord(SplittableRandom rnd, int length) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            sb.append(LETTERS.charAt(rnd.nextInt(LETTERS.length())));
        }
        return sb.toString();
    }

    /** tiktoken's algorithm, written plainly: lists of byte strings, lowest-rank pair first, leftmost on ties. */
    int[] referenceTiktoken(byte[] piece) {
        Integer whole = idOfBytes.get(key(piece));
        if (whole != null) {
            return new int[] {whole};
        }
        List<byte[]> parts = new ArrayList<>();
        for (byte b : piece) {
            parts.add(new byte[] {b});
        }
        while (parts.size() > 1) {
            int best = Integer.MAX_VALUE;
            int at = -1;
            for (int i = 0; i + 1 < parts.size(); i++) {
                Integer rank = idOfBytes.get(key(concat(parts.get(i), parts.get(i + 1))));
                if (rank != null && rank < best) {
                    best = rank;
                    at = i;
                }
            }
            if (at < 0) {
                break;
            }
            parts.set(at, concat(parts.get(at), parts.remove(at + 1)));
        }
        return parts.stream().mapToInt(p -> idOfBytes.get(key(p))).toArray();
    }

    /** Hugging Face's algorithm: only listed pairs merge, earliest listed first, leftmost on ties. */
    int[] referenceHuggingFace(byte[] piece, boolean ignoreMerges) {
        Integer whole = idOfBytes.get(key(piece));
        if (ignoreMerges && whole != null) {
            return new int[] {whole};
        }
        List<Integer> ids = new ArrayList<>();
        for (byte b : piece) {
            ids.add(idOfBytes.get(key(new byte[] {b})));
        }
        while (ids.size() > 1) {
            int best = Integer.MAX_VALUE;
            int at = -1;
            for (int i = 0; i + 1 < ids.size(); i++) {
                Integer rank = mergeRank.get(pair(ids.get(i), ids.get(i + 1)));
                if (rank != null && rank < best) {
                    best = rank;
                    at = i;
                }
            }
            if (at < 0) {
                break;
            }
            ids.set(at, merges.get(best)[2]);
            ids.remove(at + 1);
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    public Path writeTiktoken(Path dir) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int id = 0; id < tokens.size(); id++) {
            sb.append(Base64.getEncoder().encodeToString(tokens.get(id))).append(' ').append(id).append('\n');
        }
        Path file = dir.resolve("tokenizer.model");
        Files.writeString(file, sb, StandardCharsets.US_ASCII);
        return file;
    }

    public Path writeTokenizerJson(Path dir, boolean mergesAsArrays, boolean ignoreMerges) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (String special : SPECIALS) {
            added.addObject().put("id", specialId(special)).put("content", special).put("single_word", false)
                    .put("lstrip", false).put("rstrip", false).put("normalized", false).put("special", true);
        }
        root.putNull("normalizer");
        ObjectNode pre = root.putObject("pre_tokenizer");
        pre.put("type", "Sequence");
        ArrayNode steps = pre.putArray("pretokenizers");
        ObjectNode split = steps.addObject();
        split.put("type", "Split");
        split.putObject("pattern").put("Regex", Llama3PreTokenizer.PATTERN);
        split.put("behavior", "Isolated").put("invert", false);
        steps.addObject().put("type", "ByteLevel").put("add_prefix_space", false).put("trim_offsets", true)
                .put("use_regex", false);
        root.putObject("post_processor").put("type", "ByteLevel").put("add_prefix_space", true)
                .put("trim_offsets", false).put("use_regex", true);
        root.putObject("decoder").put("type", "ByteLevel").put("add_prefix_space", true)
                .put("trim_offsets", true).put("use_regex", true);
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE").putNull("dropout");
        model.putNull("unk_token").putNull("continuing_subword_prefix").putNull("end_of_word_suffix");
        model.put("fuse_unk", false).put("byte_fallback", false).put("ignore_merges", ignoreMerges);
        ObjectNode vocab = model.putObject("vocab");
        for (int id = 0; id < tokens.size(); id++) {
            vocab.put(byteLevel(tokens.get(id)), id);
        }
        ArrayNode mergeList = model.putArray("merges");
        for (int[] m : merges) {
            String left = byteLevel(tokens.get(m[0]));
            String right = byteLevel(tokens.get(m[1]));
            if (mergesAsArrays) {
                mergeList.addArray().add(left).add(right);
            } else {
                mergeList.add(left + " " + right);
            }
        }
        Path file = dir.resolve("tokenizer.json");
        json.writeValue(file.toFile(), root);
        return file;
    }

    static String byteLevel(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append(ByteLevelAlphabet.tokenOfByte(b & 0xFF));
        }
        return sb.toString();
    }

    private static String key(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static long pair(int left, int right) {
        return ((long) left << 32) | right;
    }

    static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(a.length + b.length);
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    @Override
    public String toString() {
        return tokens.size() + " tokens, " + merges.size() + " merges, " + Arrays.toString(SPECIALS.toArray());
    }
}
