package org.emma4j.model.tokenizer;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a Hugging Face {@code tokenizer.json} of the Llama 3 kind: a byte-level BPE model, Llama 3's
 * Split regex followed by ByteLevel as pre-tokenizer, no normalizer. Anything else is refused with a
 * message saying what differs, since encoding it as Llama 3 would give wrong ids silently. The
 * post-processor (which in Llama 3.1 files adds BOS) is deliberately not applied: callers add BOS
 * explicitly. Merges may be written {@code "a b"} or {@code ["a", "b"]}; a merge's rank is its line.
 */
final class TokenizerJsonReader {
    private TokenizerJsonReader() {
    }

    static TokenizerDefinition read(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return read(in, path.toString());
        }
    }

    /**
     * Streams the file: the vocab and the merges (hundreds of thousands of entries) are read straight
     * into their tables, the small configuration objects as trees.
     */
    static TokenizerDefinition read(InputStream in, String source) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        Map<String, JsonNode> config = new HashMap<>();
        Map<String, JsonNode> modelConfig = new HashMap<>();
        byte[][] vocabTokens = null;
        List<String[]> mergePairs = null;
        try (JsonParser parser = mapper.getFactory().createParser(in)) {
            expectToken(parser.nextToken(), JsonToken.START_OBJECT, "the document", source);
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                if (!field.equals("model") || parser.currentToken() != JsonToken.START_OBJECT) {
                    config.put(field, parser.readValueAsTree());
                    continue;
                }
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String modelField = parser.currentName();
                    JsonToken value = parser.nextToken();
                    if (modelField.equals("vocab") && value == JsonToken.START_OBJECT) {
                        vocabTokens = readVocab(parser, source);
                    } else if (modelField.equals("merges") && value == JsonToken.START_ARRAY) {
                        mergePairs = readMerges(parser, source);
                    } else {
                        modelConfig.put(modelField, parser.readValueAsTree());
                    }
                }
                config.put("model", mapper.createObjectNode());
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (!config.containsKey("model")) {
            throw new IllegalArgumentException(source + ": missing 'model'");
        }
        if (vocabTokens == null || mergePairs == null) {
            throw new IllegalArgumentException(source + ": model needs a 'vocab' object and a 'merges' array");
        }
        JsonNode missing = mapper.missingNode();
        checkModel(modelConfig, missing, source);
        JsonNode normalizer = config.getOrDefault("normalizer", missing);
        if (!normalizer.isNull() && !normalizer.isMissingNode()) {
            throw unsupported(source, "it has a normalizer (" + normalizer.path("type").asText() + ")");
        }
        checkPreTokenizer(config.getOrDefault("pre_tokenizer", missing), source);
        JsonNode decoder = config.getOrDefault("decoder", missing);
        if (!decoder.isNull() && !decoder.isMissingNode() && !"ByteLevel".equals(decoder.path("type").asText())) {
            throw unsupported(source, "decoder.type is " + decoder.path("type").asText() + ", not ByteLevel");
        }

        int maxId = vocabTokens.length - 1;
        Map<String, Integer> specialIds = new LinkedHashMap<>();
        for (JsonNode added : config.getOrDefault("added_tokens", missing)) {
            String content = added.path("content").asText();
            int id = added.path("id").asInt(-1);
            if (id < 0 || content.isEmpty()) {
                throw new IllegalArgumentException(source + ": added token without id or content: " + added);
            }
            for (String flag : new String[] {"lstrip", "rstrip", "single_word"}) {
                if (added.path(flag).asBoolean(false)) {
                    throw unsupported(source, "added token " + content + " has " + flag + "=true");
                }
            }
            specialIds.put(content, id);
            maxId = Math.max(maxId, id);
        }

        byte[][] tokens = java.util.Arrays.copyOf(vocabTokens, maxId + 1);
        boolean[] special = new boolean[maxId + 1];
        boolean[] ordinary = new boolean[maxId + 1];
        for (int id = 0; id < vocabTokens.length; id++) {
            ordinary[id] = vocabTokens[id] != null;
        }
        for (Map.Entry<String, Integer> e : specialIds.entrySet()) {
            int id = e.getValue();
            tokens[id] = e.getKey().getBytes(StandardCharsets.UTF_8);
            special[id] = true;
            ordinary[id] = false;
        }
        for (int id = 0; id <= maxId; id++) {
            if (tokens[id] == null) {
                throw new IllegalArgumentException(source + ": no token has id " + id
                        + " (ids must run from 0 to " + maxId + " without gaps)");
            }
        }
        TokenBytes tokenBytes = TokenBytes.of(tokens);
        ByteSequenceIndex ordinaryTokens = new ByteSequenceIndex(tokenBytes, ordinary);

        PairMerges merges = new PairMerges(mergePairs.size());
        byte[] joined = new byte[64];
        for (int rank = 0; rank < mergePairs.size(); rank++) {
            String[] pair = mergePairs.get(rank);
            int length = pair[0].length() + pair[1].length();
            if (joined.length < length) {
                joined = new byte[2 * length];
            }
            ByteLevelAlphabet.decodeInto(pair[0], joined, 0);
            ByteLevelAlphabet.decodeInto(pair[1], joined, pair[0].length());
            int left = idOf(ordinaryTokens, joined, 0, pair[0].length(), pair[0], rank, source);
            int right = idOf(ordinaryTokens, joined, pair[0].length(), pair[1].length(), pair[1], rank, source);
            int merged = ordinaryTokens.find(joined, 0, length, ByteSequenceIndex.hash(joined, 0, length));
            if (merged == ByteSequenceIndex.ABSENT) {
                throw new IllegalArgumentException(source + ": merge " + rank + " ('" + pair[0] + "' + '" + pair[1]
                        + "') makes a token that is not in the vocab");
            }
            merges.add(left, right, rank, merged);
        }
        boolean ignoreMerges = modelConfig.getOrDefault("ignore_merges", missing).asBoolean(false);
        return new TokenizerDefinition(tokenBytes, special, Map.copyOf(specialIds), ordinaryTokens,
                TokenizerDefinition.byteIds(ordinaryTokens, source), merges, ignoreMerges, source);
    }

    /** The vocab as bytes by id (null where no token has the id). */
    private static byte[][] readVocab(JsonParser parser, String source) throws IOException {
        byte[][] tokens = new byte[1 << 17][];
        int count = 0;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String token = parser.currentName();
            if (parser.nextToken() != JsonToken.VALUE_NUMBER_INT || parser.getIntValue() < 0) {
                throw new IllegalArgumentException(source + ": vocab entry '" + token + "' has no valid id");
            }
            int id = parser.getIntValue();
            if (id >= tokens.length) {
                tokens = java.util.Arrays.copyOf(tokens, Math.max(id + 1, tokens.length * 2));
            }
            if (tokens[id] != null) {
                throw new IllegalArgumentException(source + ": vocab gives id " + id + " to two tokens");
            }
            tokens[id] = ByteLevelAlphabet.decode(token);
            count = Math.max(count, id + 1);
        }
        return java.util.Arrays.copyOf(tokens, count);
    }

    /** Merges as {@code "left right"} strings (the original format) or {@code ["left", "right"]} arrays. */
    private static List<String[]> readMerges(JsonParser parser, String source) throws IOException {
        List<String[]> merges = new ArrayList<>(1 << 19);
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            int rank = merges.size();
            if (token == JsonToken.VALUE_STRING) {
                String text = parser.getText();
                int space = text.indexOf(' ');
                if (space <= 0 || space == text.length() - 1 || text.indexOf(' ', space + 1) >= 0) {
                    throw new IllegalArgumentException(source + ": merge " + rank + " is not 'left right': '" + text + "'");
                }
                merges.add(new String[] {text.substring(0, space), text.substring(space + 1)});
            } else if (token == JsonToken.START_ARRAY) {
                String left = parser.nextToken() == JsonToken.VALUE_STRING ? parser.getText() : null;
                String right = parser.nextToken() == JsonToken.VALUE_STRING ? parser.getText() : null;
                if (left == null || right == null || parser.nextToken() != JsonToken.END_ARRAY) {
                    throw new IllegalArgumentException(source + ": merge " + rank + " is not a [\"left\", \"right\"] pair");
                }
                merges.add(new String[] {left, right});
            } else {
                throw new IllegalArgumentException(source + ": merge " + rank + " is neither \"a b\" nor [\"a\", \"b\"]");
            }
        }
        return merges;
    }

    private static void checkModel(Map<String, JsonNode> model, JsonNode missing, String source) {
        String type = model.getOrDefault("type", missing).asText();
        if (!"BPE".equals(type)) {
            throw unsupported(source, "model.type is '" + type + "', expected 'BPE'");
        }
        if (model.getOrDefault("byte_fallback", missing).asBoolean(false)) {
            throw unsupported(source, "model.byte_fallback is true (SentencePiece-style byte fallback, not byte-level BPE)");
        }
        JsonNode dropout = model.getOrDefault("dropout", missing);
        if (!dropout.isNull() && !dropout.isMissingNode()) {
            throw unsupported(source, "model.dropout is set (BPE dropout is for training tokenizers, not for encoding)");
        }
        for (String affix : new String[] {"continuing_subword_prefix", "end_of_word_suffix"}) {
            if (!model.getOrDefault(affix, missing).asText("").isEmpty()) {
                throw unsupported(source, "model." + affix + " is set");
            }
        }
    }

    private static void expectToken(JsonToken found, JsonToken expected, String what, String source) {
        if (found != expected) {
            throw new IllegalArgumentException(source + ": " + what + " should start with " + expected + ", found " + found);
        }
    }

    /** Llama 3's pre-tokenizer: Sequence[Split(Llama 3 regex, Isolated), ByteLevel(use_regex=false)]. */
    private static void checkPreTokenizer(JsonNode pre, String source) {
        JsonNode steps = pre.path("pretokenizers");
        boolean ok = "Sequence".equals(pre.path("type").asText()) && steps.size() == 2
                && "Split".equals(steps.get(0).path("type").asText())
                && Llama3PreTokenizer.PATTERN.equals(steps.get(0).path("pattern").path("Regex").asText())
                && "Isolated".equals(steps.get(0).path("behavior").asText())
                && !steps.get(0).path("invert").asBoolean(false)
                && "ByteLevel".equals(steps.get(1).path("type").asText())
                && !steps.get(1).path("use_regex").asBoolean(true)
                && !steps.get(1).path("add_prefix_space").asBoolean(false);
        if (!ok) {
            throw unsupported(source, "its pre_tokenizer is not Llama 3's (Split on the Llama 3 regex, then ByteLevel"
                    + " without regex or prefix space); found " + pre);
        }
    }

    private static int idOf(ByteSequenceIndex index, byte[] bytes, int off, int len, String token, int rank, String source) {
        int id = index.find(bytes, off, len, ByteSequenceIndex.hash(bytes, off, len));
        if (id == ByteSequenceIndex.ABSENT) {
            throw new IllegalArgumentException(source + ": merge " + rank + " refers to '" + token + "', which is not in the vocab");
        }
        return id;
    }

    private static IllegalArgumentException unsupported(String source, String what) {
        return new IllegalArgumentException(source + " is not a Llama 3 tokenizer emma4j can read: " + what);
    }
}
