package org.emma4j.model.tokenizer;

/**
 * GPT-2's byte-level alphabet, in which Hugging Face tokenizer.json files write byte-level BPE tokens:
 * each byte is one printable code point (printable Latin-1 bytes stand for themselves, the other 68
 * bytes are mapped in order to U+0100 upwards, so the space 0x20 is written 'Ġ' U+0120).
 */
final class ByteLevelAlphabet {
    /** Code point to byte for code points below 0x144; -1 where a code point stands for no byte. */
    private static final short[] BYTE_OF = new short[0x144];
    /** Byte to the code point that writes it. */
    private static final char[] CHAR_OF = new char[256];

    static {
        java.util.Arrays.fill(BYTE_OF, (short) -1);
        int next = 0x100;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = (char) (printable ? b : next++);
            BYTE_OF[c] = (short) b;
            CHAR_OF[b] = c;
        }
    }

    /** The one-character token string of byte {@code b} (0..255). */
    static String tokenOfByte(int b) {
        return String.valueOf(CHAR_OF[b]);
    }

    private ByteLevelAlphabet() {
    }

    /** The bytes a byte-level token string stands for; IllegalArgumentException for foreign characters. */
    static byte[] decode(String token) {
        byte[] out = new byte[token.length()];
        decodeInto(token, out, 0);
        return out;
    }

    /** Writes the bytes of {@code token} (one per character) into {@code out} at {@code at}. */
    static void decodeInto(String token, byte[] out, int at) {
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            int b = c < BYTE_OF.length ? BYTE_OF[c] : -1;
            if (b < 0) {
                throw new IllegalArgumentException("token '" + token + "' has the character U+"
                        + String.format("%04X", (int) c) + ", which is outside the byte-level alphabet");
            }
            out[at + i] = (byte) b;
        }
    }
}
