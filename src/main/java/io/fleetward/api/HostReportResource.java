package io.fleetward.api;

import io.fleetward.config.CheckinConfig;
import io.fleetward.fleet.Host;
import io.fleetward.fleet.Names;
import io.fleetward.observe.HostReport;
import io.fleetward.reconcile.ControlException;
import io.fleetward.reconcile.FleetControls;
import io.fleetward.reconcile.ReportOutcome;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.jboss.logging.Logger;

/**
 * Host check-ins (push mode, for machines the controller cannot reach, such as laptops behind NAT):
 * a host posts what it runs, authenticated by its own token, whose SHA-256 its overlay entry holds
 * ({@code report-token-sha256}). {@link CheckinFilter} checks the token and the declared size before
 * the body is read; here the body is read with the same bound ({@code fleetward.checkin.max-body}),
 * whether or not its length was declared.
 */
@Path("/api/v1/hosts/{host}/report")
@Produces(MediaType.APPLICATION_JSON)
public class HostReportResource {
    private static final Logger LOG = Logger.getLogger(HostReportResource.class);
    static final String REFUSED = "this token may not report for this host";

    @Inject
    FleetControls controls;

    @Inject
    CheckinMetrics metrics;

    @Inject
    CheckinFilter filter;

    @Inject
    CheckinConfig checkin;

    @Inject
    Clock clock;

    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "A host reports what it runs now; counts as its observation and converges drift at once")
    @SecurityRequirement(name = ApiDocument.BEARER)
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = HostReportBody.class)))
    @APIResponse(responseCode = "202", description = "observed",
            content = @Content(schema = @Schema(implementation = ReportJson.class)))
    @APIResponse(responseCode = "400", description = "malformed report")
    @APIResponse(responseCode = "401", description = "no bearer token")
    @APIResponse(responseCode = "403", description = "the token may not report for this host")
    @APIResponse(responseCode = "413", description = "the body is larger than fleetward.checkin.max-body")
    public Response report(@PathParam("host") String name, @Context ContainerRequestContext request,
                           RoutingContext exchange, InputStream body) {
        if (!(request.getProperty(CheckinFilter.HOST) instanceof Host)) { // never: the filter ran
            return filter.refuse(name, 403, "the check-in filter did not accept the token", exchange);
        }
        byte[] bytes;
        try {
            bytes = body.readNBytes(checkin.maxBody() + 1);
        } catch (IOException e) {
            metrics.hostReport("malformed");
            LOG.warnf("api: unreadable check-in of host %s: %s", Names.printable(name), e.getMessage());
            throw new BadRequestException("unreadable body");
        }
        if (bytes.length > checkin.maxBody()) {
            return filter.tooLarge(name, exchange);
        }
        HostReport report;
        try {
            HostReportBody sent = JsonBodies.required(bytes, HostReportBody.class);
            report = new HostReport(name, clock.instant(), sent.system(), sent.booted(), sent.configurationRevision(),
                    sent.homes());
        } catch (BadRequestException | IllegalArgumentException e) {
            metrics.hostReport("malformed");
            LOG.warnf("api: malformed check-in of host %s: %s", name, e.getMessage());
            throw e instanceof BadRequestException bad ? bad : new BadRequestException("report: " + e.getMessage());
        }
        ReportOutcome outcome;
        try {
            outcome = controls.report(report);
        } catch (ControlException e) {
            return filter.refuse(name, 403, e.getMessage(), exchange); // the host left the inventory in the meantime
        }
        metrics.hostReport("accepted");
        return Response.accepted(ReportJson.of(name, outcome)).build();
    }
}
