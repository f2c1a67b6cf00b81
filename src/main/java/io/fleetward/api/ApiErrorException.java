package io.fleetward.api;

import jakarta.ws.rs.core.Response;

/**
 * An {@link ApiError} thrown where a method cannot return a {@link Response} (one that streams), by
 * {@link DeploymentsResource}, whose own exception mapper answers it.
 */
final class ApiErrorException extends RuntimeException {
    private final Response.Status status;

    ApiErrorException(Response.Status status, String detail) {
        super(detail, null, false, false);
        this.status = status;
    }

    Response response() {
        return ApiError.response(status, getMessage());
    }
}
