package org.emma4j.model.tokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The Llama 3 tokenizer: Llama 3's pre-tokenizer regex ({@link Llama3PreTokenizer}), then byte-level BPE
 * ({@link BytePairEncoder}), reading either Hugging Face's {@code tokenizer.json} or Meta's tiktoken
 * {@code tokenizer.model}. Gives the same ids as tiktoken and Hugging Face tokenizers for any text.
 *
 * <p>Nothing is added silently: no BOS unless {@link #encodeWithBos} is called, no post-processor, and
 * special-token text is parsed or kept as text only as the caller's {@link SpecialTokenHandling} says.
 * Text is Java's UTF-16; a lone surrogate (not valid Unicode) is encoded as U+FFFD, as a UTF-8 encoder
 * with replacement would.
 *
 * <p>Immutable and thread-safe: one instance can serve every thread of a data pipeline (the shared
 * piece cache is lock-free); the per-call state is allocated per call.
 */
public final class Llama3Tokenizer {
    private static final String BOS_TEXT = "<|begin_of_text|>";
    private static final String EOS_TEXT = "<|end_of_text|>";

    private final TokenBytes tokens;
    private final boolean[] special;
    private final Map<String, Integer> specialIds;
    private final SpecialTokenMatcher specialMatcher;
    private final BytePairEncoder bpe;
    private final int bosId;
    private final int eosId;
    private final String source;

    Llama3Tokenizer(TokenizerDefinition definition) {
        this.tokens = definition.tokens();
        this.special = definition.special().clone();
        this.specialIds = definition.specialIds();
        this.specialMatcher = new SpecialTokenMatcher(specialIds);
        this.bpe = new BytePairEncoder(definition.byteIds(), definition.ordinaryTokens(), definition.merges(),
                definition.wholePieceFirst());
        this.source = definition.source();
        this.bosId = requiredSpecial(BOS_TEXT);
        this.eosId = requiredSpecial(EOS_TEXT);
    }

    /**
     * Loads a tokenizer from a {@code tokenizer.json}, a {@code tokenizer.model}, or a model directory
     * holding one of them (tokenizer.json preferred, then tokenizer.model, then original/tokenizer.model
     * as in Hugging Face repositories of Meta's checkpoints). A file is recognised by its content: JSON
     * starts with '{'. A tokenizer.model gets Llama 3's special tokens ({@link Llama3SpecialTokens#llama3()}).
     */
    public static Llama3Tokenizer load(Path path) throws IOException {
        Path file = path;
        if (Files.isDirectory(path)) {
            file = null;
            for (String candidate : new String[] {"tokenizer.json", "tokenizer.model", "original/tokenizer.model"}) {
                if (Files.isRegularFile(path.resolve(candidate))) {
                    file = path.resolve(candidate);
                    break;
                }
            }
            if (file == null) {
                throw new IOException("no tokenizer.json or tokenizer.model in directory " + path);
            }
        } else if (!Files.isRegularFile(path)) {
            throw new IOException("no tokenizer file at " + path);
        }
        return looksLikeJson(file) ? fromTokenizerJson(file) : fromTiktokenModel(file);
    }

    /** Reads a Hugging Face tokenizer.json (Llama 3's byte-level BPE; anything else is refused). */
    public static Llama3Tokenizer fromTokenizerJson(Path file) throws IOException {
        return new Llama3Tokenizer(TokenizerJsonReader.read(file));
    }

    /** Reads Meta's tiktoken-format tokenizer.model with Llama 3's 256 special tokens. */
    public static Llama3Tokenizer fromTiktokenModel(Path file) throws IOException {
        return fromTiktokenModel(file, Llama3SpecialTokens.llama3());
    }

    /**
     * Reads a tiktoken-format tokenizer.model, numbering {@code specialTokens} after the base ranks (for
     * checkpoints whose special tokens differ from Llama 3's, such as Llama 3.1's {@code <|eom_id|>}).
     */
    public static Llama3Tokenizer fromTiktokenModel(Path file, List<String> specialTokens) throws IOException {
        return new Llama3Tokenizer(TiktokenModelReader.read(file, specialTokens));
    }

    private static boolean looksLikeJson(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            int b;
            do {
                b = in.read();
            } while (b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == 0xEF || b == 0xBB || b == 0xBF);
            return b == '{';
        }
    }

    /** The ids of {@code text}, with no BOS. */
    public int[] encode(String text, SpecialTokenHandling handling) {
        TokenIdBuffer out = new TokenIdBuffer(Math.max(16, text.length() / 3));
        encodeInto(text, handling, out);
        return out.toArray();
    }

    /** BOS ({@code <|begin_of_text|>}) followed by the ids of {@code text}. */
    public int[] encodeWithBos(String text, SpecialTokenHandling handling) {
        TokenIdBuffer out = new TokenIdBuffer(Math.max(16, text.length() / 3));
        out.add(bosId);
        encodeInto(text, handling, out);
        return out.toArray();
    }

    /** Appends the ids of {@code text} to {@code out} (no BOS); reuse {@code out} to avoid allocation. */
    public void encodeInto(CharSequence text, SpecialTokenHandling handling, TokenIdBuffer out) {
        Scratch scratch = new Scratch();
        int end = text.length();
        if (handling == SpecialTokenHandling.PLAIN) {
            encodeOrdinary(text, 0, end, out, scratch);
            return;
        }
        int[] id = new int[1];
        int pos = 0;
        while (pos < end) {
            long match = specialMatcher.find(text, pos, end, id);
            if (match < 0) {
                encodeOrdinary(text, pos, end, out, scratch);
                return;
            }
            int start = (int) (match >>> 32);
            encodeOrdinary(text, pos, start, out, scratch);
            out.add(id[0]);
            pos = start + (int) match;
        }
    }

    /** The working arrays of one encode call. */
    private static final class Scratch {
        byte[] piece = new byte[256];
        final BytePairEncoder.Scratch bpe = new BytePairEncoder.Scratch();
    }

    private void encodeOrdinary(CharSequence text, int from, int to, TokenIdBuffer out, Scratch scratch) {
        int pos = from;
        while (pos < to) {
            int end = Llama3PreTokenizer.pieceEnd(text, pos, to);
            int maxBytes = 3 * (end - pos);
            if (scratch.piece.length < maxBytes) {
                scratch.piece = new byte[Math.max(maxBytes, scratch.piece.length * 2)];
            }
            int len = utf8(text, pos, end, scratch.piece);
            bpe.encode(scratch.piece, len, out, scratch.bpe);
            pos = end;
        }
    }

    /**
     * Writes the UTF-8 bytes of {@code text[from .. to)} into {@code out} (room for 3 bytes per char);
     * returns the byte count. A lone surrogate becomes U+FFFD's bytes.
     */
    static int utf8(CharSequence text, int from, int to, byte[] out) {
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                out[n++] = (byte) c;
            } else if (c < 0x800) {
                out[n++] = (byte) (0xC0 | (c >> 6));
                out[n++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                char low = i + 1 < to ? text.charAt(i + 1) : 0;
                if (Character.isHighSurrogate(c) && Character.isLowSurrogate(low)) {
                    int cp = Character.toCodePoint(c, low);
                    out[n++] = (byte) (0xF0 | (cp >> 18));
                    out[n++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                    out[n++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                    out[n++] = (byte) (0x80 | (cp & 0x3F));
                    i++;
                } else {
                    out[n++] = (byte) 0xEF;
                    out[n++] = (byte) 0xBF;
                    out[n++] = (byte) 0xBD;
                }
            } else {
                out[n++] = (byte) (0xE0 | (c >> 12));
                out[n++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                out[n++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        return n;
    }

    /**
     * The text of {@code ids}, special tokens written as their text. Decoding a whole sequence is exact:
     * bytes are joined first and then read as UTF-8, so a character split across tokens comes back whole;
     * bytes that are not valid UTF-8 (a truncated sequence) become U+FFFD, one per maximal ill-formed
     * subpart as the Unicode standard recommends (and as Python's and tiktoken's decoding do).
     */
    public String decode(int[] ids) {
        byte[] bytes = decodeBytes(ids);
        StringBuilder out = new StringBuilder(bytes.length);
        Utf8Decoding.decode(bytes, 0, bytes.length, out, false);
        return out.toString();
    }

    /** The bytes of {@code ids}, concatenated. */
    public byte[] decodeBytes(int[] ids) {
        int total = 0;
        for (int i = 0; i < ids.length; i++) {
            checkId(ids[i], i);
            total += tokens.length(ids[i]);
        }
        byte[] out = new byte[total];
        byte[] data = tokens.data();
        int n = 0;
        for (int id : ids) {
            int len = tokens.length(id);
            System.arraycopy(data, tokens.offset(id), out, n, len);
            n += len;
        }
        return out;
    }

    /** A decoder for a stream of generated ids that holds back incomplete UTF-8 characters. */
    public StreamingDecoder streamingDecoder() {
        return new StreamingDecoder(this);
    }

    /** Appends the bytes of token {@code id} to {@code out} at {@code at}; returns the new end. */
    int appendBytes(int id, byte[] out, int at) {
        int len = tokens.length(id);
        System.arraycopy(tokens.data(), tokens.offset(id), out, at, len);
        return at + len;
    }

    int tokenLength(int id) {
        return tokens.length(id);
    }

    /** The bytes of one token (the UTF-8 text of a special token). */
    public byte[] tokenBytes(int id) {
        checkId(id, 0);
        return tokens.copyOf(id);
    }

    /** Whether {@code id} is a special token (such as BOS, EOS, {@code <|eot_id|>}). */
    public boolean isSpecial(int id) {
        checkId(id, 0);
        return special[id];
    }

    /** The id of a special token by its text, such as {@code "<|eot_id|>"}. */
    public OptionalInt specialTokenId(String text) {
        Integer id = specialIds.get(text);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** {@code <|begin_of_text|>}. */
    public int bosId() {
        return bosId;
    }

    /** {@code <|end_of_text|>} (instruction-tuned models end turns with {@code <|eot_id|>}, see {@link #specialTokenId}). */
    public int eosId() {
        return eosId;
    }

    /** Number of ids, special tokens included (128256 for Llama 3): the embedding table's row count. */
    public int vocabSize() {
        return tokens.count();
    }

    /** The file this tokenizer was read from. */
    public String source() {
        return source;
    }

    void checkId(int id, int position) {
        if (id < 0 || id >= tokens.count()) {
            throw new IllegalArgumentException("token id " + id + " at position " + position
                    + " is outside the vocabulary (0.." + (tokens.count() - 1) + ")");
        }
    }

    private int requiredSpecial(String text) {
        Integer id = specialIds.get(text);
        if (id == null) {
            throw new IllegalArgumentException(source + ": no special token " + text + " (not a Llama 3 tokenizer)");
        }
        return id;
    }

    @Override
    public String toString() {
        return "Llama3Tokenizer[" + source + ", " + vocabSize() + " ids]";
    }
}
