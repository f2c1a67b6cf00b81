package io.fleetward.transport;

/** The command could not be run at all (host unreachable, refused, not configured): a transient failure. */
public class TransportException extends Exception {
    public TransportException(String message) {
        super(message);
    }

    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
