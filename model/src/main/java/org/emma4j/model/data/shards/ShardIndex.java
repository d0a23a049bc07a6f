package org.emma4j.model.data.shards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.emma4j.model.data.mix.BosPolicy;
import org.emma4j.model.data.mix.TokenDType;
import org.emma4j.model.io.HfJson;

/**
 * {@code index.json} of a shards directory: how the sequences were packed and which files hold each split.
 *
 * <pre>
 * {
 *   "format": "emma4j-token-shards", "version": 1,
 *   "seq_len": T, "sequence_length": T + 1, "dtype": "uint32",
 *   "bos": "sequence_start", "bos_id": ..., "eos_id": ..., "pad_id": ...,
 *   "seed": ..., "tokenizer": {"vocab_size": ..., "sha256": "..."},
 *   "splits": {"train": {"sequences": ..., "valid_tokens": ..., "documents": ...,
 *                        "shards": [{"file": "train-00000.bin", "sequences": ..., "valid_tokens": ..., "sha256": ...}]},
 *              "validation": {...}}
 * }
 * </pre>
 */
public record ShardIndex(int seqLen, TokenDType dtype, BosPolicy bos, int bosId, int eosId, int padId, long seed,
                         int vocabSize, String tokenizerSha256, Map<String, SplitInfo> splits) {
    public static final String FILE = "index.json";
    static final String FORMAT = "emma4j-token-shards";

    public ShardIndex {
        splits = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(splits));
    }

    public int sequenceLength() {
        return seqLen + 1;
    }

    public void write(Path dir) throws IOException {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        root.put("format", FORMAT);
        root.put("version", ShardHeader.VERSION);
        root.put("seq_len", seqLen);
        root.put("sequence_length", sequenceLength());
        root.put("dtype", dtype.key());
        root.put("bos", bos.key());
        root.put("bos_id", bosId);
        root.put("eos_id", eosId);
        root.put("pad_id", padId);
        root.put("seed", seed);
        ObjectNode tok = root.putObject("tokenizer");
        tok.put("vocab_size", vocabSize);
        tok.put("sha256", tokenizerSha256);
        ObjectNode sp = root.putObject("splits");
        for (Map.Entry<String, SplitInfo> e : splits.entrySet()) {
            ObjectNode s = sp.putObject(e.getKey());
            s.put("sequences", e.getValue().sequences());
            s.put("valid_tokens", e.getValue().validTokens());
            s.put("documents", e.getValue().documents());
            var arr = s.putArray("shards");
            for (ShardInfo info : e.getValue().shards()) {
                ObjectNode o = arr.addObject();
                o.put("file", info.file());
                o.put("sequences", info.sequences());
                o.put("valid_tokens", info.validTokens());
                o.put("sha256", info.sha256());
            }
        }
        Files.writeString(dir.resolve(FILE), HfJson.pretty(root));
    }

    public static ShardIndex read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(dir + ": no " + FILE + " (not a directory written by emma4j prepare)");
        }
        String where = file.toString();
        JsonNode root;
        try {
            root = HfJson.strictMapper().readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(where + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (!FORMAT.equals(root.path("format").asText())) {
            throw new IllegalArgumentException(where + ": format is not " + FORMAT);
        }
        if (root.path("version").asInt(-1) != ShardHeader.VERSION) {
            throw new IllegalArgumentException(where + ": version " + root.path("version") + ", expected " + ShardHeader.VERSION);
        }
        TokenDType dtype = null;
        for (TokenDType t : TokenDType.values()) {
            if (t.key().equals(root.path("dtype").asText())) {
                dtype = t;
            }
        }
        BosPolicy bos = null;
        for (BosPolicy b : BosPolicy.values()) {
            if (b.key().equals(root.path("bos").asText())) {
                bos = b;
            }
        }
        if (dtype == null || bos == null) {
            throw new IllegalArgumentException(where + ": unknown dtype '" + root.path("dtype").asText() + "' or bos '"
                    + root.path("bos").asText() + "'");
        }
        Map<String, SplitInfo> splits = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : root.path("splits").properties()) {
            JsonNode s = e.getValue();
            List<ShardInfo> shards = new ArrayList<>();
            for (JsonNode o : s.path("shards")) {
                shards.add(new ShardInfo(o.path("file").asText(), o.path("sequences").asLong(), o.path("valid_tokens").asLong(),
                        o.path("sha256").asText()));
            }
            splits.put(e.getKey(), new SplitInfo(s.path("sequences").asLong(), s.path("valid_tokens").asLong(),
                    s.path("documents").asLong(), shards));
        }
        return new ShardIndex(root.path("seq_len").asInt(), dtype, bos, root.path("bos_id").asInt(), root.path("eos_id").asInt(),
                root.path("pad_id").asInt(), root.path("seed").asLong(), root.path("tokenizer").path("vocab_size").asInt(),
                root.path("tokenizer").path("sha256").asText(), splits);
    }
}
