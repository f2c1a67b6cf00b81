package io.fleetward.reconcile;

/** An operator's request the loop refuses: the target or host is unknown, or the request conflicts with its state. */
public final class ControlException extends RuntimeException {
    /** Why: the API answers NOT_FOUND with 404 and CONFLICT with 409. */
    public enum Kind { NOT_FOUND, CONFLICT }

    private final Kind kind;

    public ControlException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
