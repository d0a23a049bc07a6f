package org.emma4j.model.safetensors;

/** Told after each tensor reaches its output file (for progress bars on multi-gigabyte writes). */
@FunctionalInterface
public interface WriteProgress {

    /** {@code tensor} has been written; {@code bytes} is its size in the file. */
    void tensorWritten(String tensor, long bytes);

    /** Reports nothing. */
    WriteProgress NONE = (tensor, bytes) -> {
    };
}
