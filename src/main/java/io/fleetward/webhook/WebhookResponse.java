package io.fleetward.webhook;

import jakarta.ws.rs.core.Response;
import java.util.Locale;

/**
 * A receiver's answer: the HTTP status and the JSON body, a {@link WebhookResult} for 2xx and an
 * {@link Error} otherwise.
 */
public record WebhookResponse(int status, Object body) {

    /** The error shape the REST API uses too: {@code {"error": ..., "detail": ...}}. */
    public record Error(String error, String detail) {
    }

    static WebhookResponse answer(int status, String result, String reason) {
        return new WebhookResponse(status, new WebhookResult(result, reason));
    }

    /** An error named as the API names them: the status' reason phrase in lower case. */
    static WebhookResponse error(Response.Status status, String detail) {
        return new WebhookResponse(status.getStatusCode(),
                new Error(status.getReasonPhrase().toLowerCase(Locale.ROOT), detail));
    }
}
