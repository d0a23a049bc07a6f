package org.emma4j.model.eval.data;

/** One example of a benchmark file (a JSON object or a row of a delimited file), with where it came from. */
public interface DataRecord {

    /** "file:line" (or "file: element N" for JSON arrays), for error messages. */
    String location();

    boolean has(String field);

    /** The field as text; numbers are given in their JSON spelling. Missing or null is an error. */
    String text(String field) throws DataFormatException;

    /** The field as text, or {@code fallback} when it is missing, null or empty. */
    String textOr(String field, String fallback) throws DataFormatException;

    /** The field as an integer (a JSON number, or a string of digits). */
    default int integer(String field) throws DataFormatException {
        String s = text(field).strip();
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new DataFormatException(location(), "field '" + field + "' should be an integer, found '" + s + "'");
        }
    }
}
