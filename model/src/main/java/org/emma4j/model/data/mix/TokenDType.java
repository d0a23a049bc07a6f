package org.emma4j.model.data.mix;

/** How token ids are stored in shards: 4 little-endian bytes each, read as unsigned or signed. */
public enum TokenDType {
    UINT32("uint32", 1),
    INT32("int32", 2);

    private final String key;
    private final int code;

    TokenDType(String key, int code) {
        this.key = key;
        this.code = code;
    }

    public String key() {
        return key;
    }

    /** The number the shard header stores. */
    public int code() {
        return code;
    }

    /** The dtype of header code {@code code}. */
    public static TokenDType ofCode(int code) {
        for (TokenDType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown token dtype code " + code + " (1 = uint32, 2 = int32)");
    }
}
