package io.fleetward.api;

import io.fleetward.access.ApiTokens;
import io.fleetward.access.ApiAuth;
import io.fleetward.config.CheckinConfig;
import io.fleetward.fleet.Host;
import io.fleetward.fleet.Names;
import io.fleetward.reconcile.ReconcileLoop;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Decides a host check-in from its headers, before a byte of the body is read, on the I/O thread (no
 * worker thread is taken): first the host's token, then the declared size. An unknown host, a host
 * without a token and another host's token get the same 403, so the answer tells nothing about the
 * inventory; the log says which it was.
 *
 * <p>A refused upload is never read: its connection ends once the answer is sent ({@link
 * LingeringClose}; Vert.x would otherwise read the rest of the body to reuse the connection), so a
 * flood of large bodies without a valid token costs neither memory nor threads. Clients that read
 * the answer while they send (curl, Java's HttpClient) see the 401, 403 or 413. A body without a
 * declared length is held to the same limit while {@link HostReportResource} reads it.
 */
public class CheckinFilter {
    private static final Logger LOG = Logger.getLogger(CheckinFilter.class);
    /** The request property under which an accepted check-in's host is handed to the resource. */
    static final String HOST = CheckinFilter.class.getName() + ".host";

    @Inject
    ReconcileLoop loop;

    @Inject
    CheckinMetrics metrics;

    @Inject
    CheckinConfig checkin;

    /** Non-blocking filters must run before the others (ApiAuthFilter, which skips check-ins anyway). */
    @ServerRequestFilter(nonBlocking = true, priority = Priorities.AUTHENTICATION)
    public Response check(ContainerRequestContext request, ResourceInfo resource, RoutingContext exchange) {
        if (resource.getResourceClass() != HostReportResource.class) {
            return null;
        }
        String name = request.getUriInfo().getPathParameters().getFirst("host");
        Optional<String> token = ApiAuth.bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (token.isEmpty()) {
            return refuse(name, 401, "no bearer token", exchange);
        }
        Optional<Host> host = Names.isValid(name) ? loop.host(name) : Optional.empty();
        String refusal = host.isEmpty() ? "unknown host"
                : host.get().reportTokenHash() == null ? "the host has no report-token-sha256 in the inventory"
                : !ApiTokens.matches(token.get(), host.get().reportTokenHash())
                ? "the token does not match the host's report-token-sha256" : null;
        if (refusal != null) {
            return refuse(name, 403, refusal, exchange);
        }
        if (request.getLength() > checkin.maxBody()) {
            return tooLarge(name, exchange);
        }
        request.setProperty(HOST, host.get());
        return null;
    }

    /** The answer to a check-in refused for its token: 401 without one, else the same 403 whatever the reason. */
    Response refuse(String name, int status, String reason, RoutingContext exchange) {
        metrics.hostReport("refused");
        LOG.warnf("api: refused check-in of host %s: %s", Names.printable(name), reason);
        return unread(exchange, ApiAuthFilter.refused(new ApiAuth.Refusal(status,
                status == 401 ? "missing bearer token" : HostReportResource.REFUSED)));
    }

    /** The answer to a check-in whose body is larger than {@code fleetward.checkin.max-body}. */
    Response tooLarge(String name, RoutingContext exchange) {
        metrics.hostReport("too_large");
        LOG.warnf("api: refused check-in of host %s: the body is larger than %d bytes", Names.printable(name),
                checkin.maxBody());
        return unread(exchange, ApiError.response(Response.Status.REQUEST_ENTITY_TOO_LARGE,
                "report body larger than " + checkin.maxBody() + " bytes (fleetward.checkin.max-body)"));
    }

    /** {@code answer}, and if the body is not read to its end, the connection closes once it is sent. */
    private static Response unread(RoutingContext exchange, Response answer) {
        if (exchange.request().isEnded()) {
            return answer;
        }
        exchange.addEndHandler(sent -> LingeringClose.of(exchange.request().connection()));
        return Response.fromResponse(answer).header("Connection", "close").build();
    }
}
