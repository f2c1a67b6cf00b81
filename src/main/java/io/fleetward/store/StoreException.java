package io.fleetward.store;

/**
 * A database operation failed. The message says what was being done and why it failed; it never
 * contains credentials (URLs in it are redacted).
 */
public final class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
