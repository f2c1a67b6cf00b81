package io.fleetward.api;

/** A request the API cannot act on (malformed id or body); answered 400 with its message as the detail. */
final class BadRequestException extends RuntimeException {
    BadRequestException(String detail) {
        super(detail, null, false, false);
    }
}
