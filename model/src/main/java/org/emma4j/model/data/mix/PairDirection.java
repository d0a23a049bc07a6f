package org.emma4j.model.data.mix;

/** Which way a translation pair is written into training text. */
public enum PairDirection {
    /** src then tgt, as the line gives them. */
    AS_GIVEN("as_given"),
    /** Two documents: src then tgt, and tgt then src. */
    BOTH("both"),
    /** One document per pair, its direction drawn from the seed and the pair's position (a fair coin). */
    RANDOM("random");

    private final String key;

    PairDirection(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }
}
