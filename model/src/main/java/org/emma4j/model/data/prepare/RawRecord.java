package org.emma4j.model.data.prepare;

/**
 * One input record before parsing: a JSON Lines line, or a plain-text document (its lines joined by LF).
 *
 * @param source the source's index in the config
 * @param file the file, as stats and messages name it
 * @param line the (first) line number, 1-based
 * @param bytes the undecoded bytes
 * @param ordinal the record's position within its source (bad lines included), for per-record seeds
 * @param lang the language the file name or config gives (text sources), else null
 */
record RawRecord(int source, String file, long line, byte[] bytes, long ordinal, String lang) {
}
