package io.fleetward.api;

import io.fleetward.access.ApiAuth;
import io.fleetward.fleet.Names;
import jakarta.inject.Inject;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Set;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Applies {@link ApiAuth} to every resource of this package except the host check-in, which checks
 * its per-host token itself. Runs after routing, so only real endpoints are guarded, and before the
 * body is read. {@code /q/*} (health, metrics, OpenAPI) are no JAX-RS resources and stay open; the
 * webhook receivers live in another package and check signatures instead.
 */
public class ApiAuthFilter {
    private static final Logger LOG = Logger.getLogger(ApiAuthFilter.class);
    private static final Set<String> READS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    @Inject
    ApiAuth auth;

    @ServerRequestFilter
    public Response authenticate(ContainerRequestContext request, ResourceInfo resource) {
        Class<?> endpoint = resource.getResourceClass();
        if (endpoint == null || !endpoint.getPackageName().equals(ApiAuthFilter.class.getPackageName())
                || endpoint == HostReportResource.class) {
            return null;
        }
        return auth.check(!READS.contains(request.getMethod()), request.getHeaderString(HttpHeaders.AUTHORIZATION))
                .map(refusal -> {
                    LOG.warnf("api: refused %s %s: %s", request.getMethod(),
                            Names.printable(request.getUriInfo().getPath()), refusal.reason());
                    return refused(refusal);
                })
                .orElse(null);
    }

    /** The JSON error, with the challenge a 401 carries (RFC 6750). */
    static Response refused(ApiAuth.Refusal refusal) {
        Response error = ApiError.response(Response.Status.fromStatusCode(refusal.status()), refusal.reason());
        return refusal.status() != 401 ? error
                : Response.fromResponse(error).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"fleetward\"").build();
    }
}
