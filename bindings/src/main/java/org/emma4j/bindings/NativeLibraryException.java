package org.emma4j.bindings;

/** A native library could not be loaded; the message says which candidates were tried and why each failed. */
public final class NativeLibraryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NativeLibraryException(String message) {
        super(message);
    }
}
