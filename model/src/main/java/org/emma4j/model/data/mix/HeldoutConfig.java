package org.emma4j.model.data.mix;

/**
 * The validation split: per source and language, a seeded random choice of input records (a translation
 * pair counts once, whatever the direction option) kept out of training. Exactly one of the two is set; a
 * language always keeps at least one record for training.
 *
 * @param fraction share of each language's records, rounded to the nearest whole record (0..1)
 * @param documentsPerLanguage a fixed number of records per language
 */
public record HeldoutConfig(Double fraction, Integer documentsPerLanguage) {
    public static final HeldoutConfig NONE = new HeldoutConfig(0.0, null);

    public HeldoutConfig {
        if ((fraction == null) == (documentsPerLanguage == null)) {
            throw new IllegalArgumentException("heldout needs exactly one of fraction and documents_per_language");
        }
        if (fraction != null && !(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException("heldout.fraction must be in [0, 1), found " + fraction);
        }
        if (documentsPerLanguage != null && documentsPerLanguage < 0) {
            throw new IllegalArgumentException("heldout.documents_per_language must be >= 0, found " + documentsPerLanguage);
        }
    }

    /** How many of {@code records} records to hold out (at most records - 1). */
    public int count(int records) {
        long wanted = fraction != null ? Math.round(fraction * records) : documentsPerLanguage;
        return (int) Math.max(0, Math.min(wanted, records - 1L));
    }
}
