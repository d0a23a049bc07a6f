package org.emma4j.model.data.io;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.emma4j.model.data.BadInputException;
import org.emma4j.model.data.BadInputReason;

/**
 * Decodes UTF-8 and refuses anything that is not valid UTF-8 (overlong forms, surrogates, truncated
 * sequences), naming the file, the line and the byte offset, instead of replacing bad bytes with U+FFFD
 * and training on them. One instance per thread (a CharsetDecoder keeps state).
 */
public final class StrictUtf8 {
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    /**
     * The text of {@code bytes[0 .. length)}, which may span lines (LF-separated) starting at line
     * {@code line}; a leading byte-order mark is dropped on line 1.
     *
     * @throws BadInputException ({@link BadInputReason#INVALID_UTF8}) naming {@code file} and {@code line}
     */
    public String decode(byte[] bytes, int length, String file, long line) {
        int start = 0;
        if (line == 1 && length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF) {
            start = 3;
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, start, length - start);
        CharBuffer out = CharBuffer.allocate(length - start);
        decoder.reset();
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            // A text document spans several lines: name the line and the byte within it.
            int at = in.position();
            long badLine = line;
            int lineStart = start;
            for (int i = start; i < at; i++) {
                if (bytes[i] == '\n') {
                    badLine++;
                    lineStart = i + 1;
                }
            }
            String what = result.isMalformed() ? "malformed" : "unmappable";
            throw new BadInputException(file, badLine, BadInputReason.INVALID_UTF8, "not valid UTF-8: " + what + " sequence of "
                    + result.length() + " byte(s) at byte " + (at - lineStart) + " of the line" + hexAround(bytes, at, length));
        }
        out.flip();
        return out.toString();
    }

    private static String hexAround(byte[] bytes, int at, int length) {
        StringBuilder sb = new StringBuilder(" (bytes");
        for (int i = at; i < Math.min(length, at + 4); i++) {
            sb.append(String.format(" %02X", bytes[i] & 0xFF));
        }
        return sb.append(')').toString();
    }
}
