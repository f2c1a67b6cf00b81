package io.fleetward.api;

import io.fleetward.fleet.Host;
import io.fleetward.fleet.Names;
import io.fleetward.observe.HostReport;
import io.fleetward.reconcile.ControlException;
import io.fleetward.reconcile.FleetControls;
import io.fleetward.reconcile.ReconcileLoop;
import io.fleetward.reconcile.ReportOutcome;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.Optional;
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
 * ({@code report-token-sha256}). An unknown host, a host without a token and another host's token
 * get the same 403, so the answer tells nothing about the inventory; the log says which it was.
 */
@Path("/api/v1/hosts/{host}/report")
@Produces(MediaType.APPLICATION_JSON)
public class HostReportResource {
    private static final Logger LOG = Logger.getLogger(HostReportResource.class);
    static final String REFUSED = "this token may not report for this host";

    @Inject
    ReconcileLoop loop;

    @Inject
    FleetControls controls;

    @Inject
    CheckinMetrics metrics;

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
    public Response report(@PathParam("host") String name, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                           byte[] body) {
        Optional<String> token = ApiAuth.bearer(authorization);
        if (token.isEmpty()) {
            return refuse(name, 401, "no bearer token");
        }
        Optional<Host> host = Names.isValid(name) ? loop.host(name) : Optional.empty();
        String refusal = host.isEmpty() ? "unknown host"
                : host.get().reportTokenHash() == null ? "the host has no report-token-sha256 in the inventory"
                : !ApiTokens.matches(token.get(), host.get().reportTokenHash())
                ? "the token does not match the host's report-token-sha256" : null;
        if (refusal != null) {
            return refuse(name, 403, refusal);
        }
        HostReport report;
        try {
            HostReportBody sent = JsonBodies.required(body, HostReportBody.class);
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
            return refuse(name, 403, e.getMessage()); // the host left the inventory in the meantime
        }
        metrics.hostReport("accepted");
        return Response.accepted(ReportJson.of(name, outcome)).build();
    }

    private Response refuse(String name, int status, String reason) {
        metrics.hostReport("refused");
        LOG.warnf("api: refused check-in of host %s: %s", Names.printable(name), reason);
        return ApiAuthFilter.refused(new ApiAuth.Refusal(status, status == 401 ? "missing bearer token" : REFUSED));
    }
}
