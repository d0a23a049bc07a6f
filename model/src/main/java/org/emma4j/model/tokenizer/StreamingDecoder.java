package org.emma4j.model.tokenizer;

import java.util.Arrays;

/**
 * Decodes generated ids one at a time. A token can end in the middle of a multi-byte UTF-8 character
 * (Llama 3 has tokens that are single bytes of CJK characters and emoji); such trailing bytes are held
 * back until the token that completes them arrives, so no U+FFFD appears in the middle of a stream.
 * The concatenation of everything {@link #next} and {@link #finish} return equals
 * {@link Llama3Tokenizer#decode} of all the ids: both run the same left-to-right decoder
 * ({@link Utf8Decoding}), and what is held back is exactly the unfinished sequence at its end.
 * One decoder per stream; not thread-safe.
 */
public final class StreamingDecoder {
    private final Llama3Tokenizer tokenizer;
    private byte[] pending = new byte[32];
    private int pendingLength;
    private int position;

    StreamingDecoder(Llama3Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** The text that token {@code id} completes (possibly empty). */
    public String next(int id) {
        tokenizer.checkId(id, position++);
        int needed = pendingLength + tokenizer.tokenLength(id);
        if (needed > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(needed, pending.length * 2));
        }
        pendingLength = tokenizer.appendBytes(id, pending, pendingLength);
        StringBuilder text = new StringBuilder(pendingLength);
        int held = Utf8Decoding.decode(pending, 0, pendingLength, text, true);
        System.arraycopy(pending, held, pending, 0, pendingLength - held);
        pendingLength -= held;
        return text.toString();
    }

    /** Ends the stream: whatever is held back, an incomplete character becoming U+FFFD. */
    public String finish() {
        StringBuilder text = new StringBuilder(pendingLength);
        Utf8Decoding.decode(pending, 0, pendingLength, text, false);
        pendingLength = 0;
        return text.toString();
    }

    /** Whether bytes are being held back for an incomplete character. */
    public boolean hasPendingBytes() {
        return pendingLength > 0;
    }
}
