package org.emma4j.model.data.bpe;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import org.emma4j.model.io.AtomicFiles;
import org.emma4j.model.io.HfJson;
import org.emma4j.model.tokenizer.Llama3PreTokenizer;

/**
 * Writes a trained BPE as a Hugging Face {@code tokenizer.json} of Llama 3's kind: no normalizer, the
 * pre-tokenizer Sequence[Split(Llama 3 regex, Isolated), ByteLevel(no prefix space, no regex)], a BPE
 * model whose tokens are written in GPT-2's byte-level alphabet, merges as {@code "left right"}, a
 * ByteLevel decoder, special tokens as added tokens, and a ByteLevel post-processor (which adds nothing:
 * emma4j adds BOS explicitly). {@code Llama3Tokenizer.load} and Hugging Face tokenizers both read it.
 */
public final class TokenizerJsonWriter {
    /** Byte to the character GPT-2's byte-level alphabet writes it as. */
    private static final char[] BYTE_CHAR = new char[256];

    static {
        int next = 0x100;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            BYTE_CHAR[b] = (char) (printable ? b : next++);
        }
    }

    private TokenizerJsonWriter() {
    }

    /** The byte-level string of a token's bytes. */
    static String byteLevel(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            sb.append(BYTE_CHAR[b & 0xFF]);
        }
        return sb.toString();
    }

    public static ObjectNode toJson(BpeVocabulary vocab) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (int i = 0; i < vocab.specialTokens().size(); i++) {
            ObjectNode t = added.addObject();
            t.put("id", vocab.tokens().size() + i);
            t.put("content", vocab.specialTokens().get(i));
            t.put("single_word", false);
            t.put("lstrip", false);
            t.put("rstrip", false);
            t.put("normalized", false);
            t.put("special", true);
        }
        root.putNull("normalizer");
        ObjectNode pre = root.putObject("pre_tokenizer");
        pre.put("type", "Sequence");
        ArrayNode steps = pre.putArray("pretokenizers");
        ObjectNode split = steps.addObject();
        split.put("type", "Split");
        split.putObject("pattern").put("Regex", Llama3PreTokenizer.PATTERN);
        split.put("behavior", "Isolated");
        split.put("invert", false);
        ObjectNode byteLevel = steps.addObject();
        byteLevel.put("type", "ByteLevel");
        byteLevel.put("add_prefix_space", false);
        byteLevel.put("trim_offsets", true);
        byteLevel.put("use_regex", false);
        ObjectNode post = root.putObject("post_processor");
        post.put("type", "ByteLevel");
        post.put("add_prefix_space", true);
        post.put("trim_offsets", false);
        post.put("use_regex", true);
        ObjectNode decoder = root.putObject("decoder");
        decoder.put("type", "ByteLevel");
        decoder.put("add_prefix_space", true);
        decoder.put("trim_offsets", true);
        decoder.put("use_regex", true);
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", false);
        ObjectNode v = model.putObject("vocab");
        for (int id = 0; id < vocab.tokens().size(); id++) {
            v.put(byteLevel(vocab.tokens().get(id)), id);
        }
        ArrayNode merges = model.putArray("merges");
        for (int[] m : vocab.merges()) {
            merges.add(byteLevel(vocab.tokens().get(m[0])) + " " + byteLevel(vocab.tokens().get(m[1])));
        }
        return root;
    }

    /** Writes {@code tokenizer.json} atomically. */
    public static void write(BpeVocabulary vocab, Path file) throws IOException {
        AtomicFiles.writeString(file, HfJson.pretty(toJson(vocab)));
    }
}
