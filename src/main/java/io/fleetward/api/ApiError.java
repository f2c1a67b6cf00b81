package io.fleetward.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Every API error: {@code {"error": ..., "detail": ...}} with the matching status. */
public record ApiError(String error, String detail) {

    static Response response(Response.Status status, String detail) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(new ApiError(status.getReasonPhrase().toLowerCase(java.util.Locale.ROOT), detail)).build();
    }
}
