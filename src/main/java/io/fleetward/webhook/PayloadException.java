package io.fleetward.webhook;

/** A signed webhook body that is not the JSON its provider documents; the message says what is wrong. */
final class PayloadException extends Exception {

    private static final long serialVersionUID = 1L;

    PayloadException(String message) {
        super(message);
    }
}
