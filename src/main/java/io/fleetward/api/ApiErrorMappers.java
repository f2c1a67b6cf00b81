package io.fleetward.api;

import io.fleetward.reconcile.ControlException;
import io.fleetward.store.StoreException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns exceptions into the API's one error shape, {@code {"error": ..., "detail": ...}}. */
public class ApiErrorMappers {
    private static final Logger LOG = Logger.getLogger(ApiErrorMappers.class);

    /** The loop refused a control request: unknown target or host (404), or a conflicting state (409). */
    @ServerExceptionMapper
    public Response control(ControlException e) {
        return ApiError.response(e.kind() == ControlException.Kind.NOT_FOUND ? Response.Status.NOT_FOUND
                : Response.Status.CONFLICT, e.getMessage());
    }

    @ServerExceptionMapper
    public Response badRequest(BadRequestException e) {
        return ApiError.response(Response.Status.BAD_REQUEST, e.getMessage());
    }

    /** The database cannot be used now (down, full disk): 503, so clients retry; the message has no secrets. */
    @ServerExceptionMapper
    public Response storeUnavailable(StoreException e) {
        LOG.warnf("api: %s", e.getMessage());
        return ApiError.response(Response.Status.SERVICE_UNAVAILABLE, e.getMessage());
    }

    /** Anything else under {@code /api/} is a 500 in the same shape, never the framework's text page. */
    @ServerExceptionMapper
    public Response unexpected(RuntimeException e, UriInfo uri) {
        LOG.errorf(e, "%s failed", uri.getPath());
        return uri.getPath().startsWith("/api/")
                ? ApiError.response(Response.Status.INTERNAL_SERVER_ERROR, "internal error; the daemon's log says why")
                : Response.serverError().build();
    }

    /**
     * The framework's own refusals under {@code /api/} (no such route, method not allowed, unsupported
     * media type) in the same shape; elsewhere (webhooks) they stay as they are.
     */
    @ServerExceptionMapper
    public Response framework(WebApplicationException e, UriInfo uri) {
        Response original = e.getResponse();
        Response.Status status = Response.Status.fromStatusCode(original.getStatus());
        if (!uri.getPath().startsWith("/api/") || status == null) {
            return original;
        }
        Response.ResponseBuilder json = Response.fromResponse(ApiError.response(status, frameworkDetail(status)));
        // 405 keeps its Allow header, 401 its challenge.
        original.getHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Content-Type") && !name.equalsIgnoreCase("Content-Length")) {
                values.forEach(v -> json.header(name, v));
            }
        });
        return json.build();
    }

    private static String frameworkDetail(Response.Status status) {
        return switch (status) {
            case NOT_FOUND -> "no such endpoint; the API is described at /q/openapi";
            case METHOD_NOT_ALLOWED -> "method not allowed on this endpoint";
            case NOT_ACCEPTABLE -> "cannot produce the requested media type";
            case UNSUPPORTED_MEDIA_TYPE -> "unsupported media type";
            default -> status.getReasonPhrase();
        };
    }
}
