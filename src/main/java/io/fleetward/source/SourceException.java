package io.fleetward.source;

/** The source could not be fetched or read. Messages never contain tokens or other credentials. */
public final class SourceException extends Exception {
    private static final long serialVersionUID = 1L;

    public SourceException(String message) {
        super(message);
    }
}
