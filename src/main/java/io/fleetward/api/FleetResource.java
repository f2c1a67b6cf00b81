package io.fleetward.api;

import io.fleetward.reconcile.FleetControls;
import io.fleetward.reconcile.ReconcileLoop;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/** The fleet-wide switch: pause stops automatic deployments everywhere (probing goes on), resume restarts them. */
@Path("/api/v1/fleet")
@Produces(MediaType.APPLICATION_JSON)
public class FleetResource {
    @Inject
    ReconcileLoop loop;

    @Inject
    FleetControls controls;

    @GET
    @Operation(summary = "Whether automatic deployments are paused fleet-wide")
    public FleetJson get() {
        return FleetJson.of(loop.fleetControl());
    }

    @POST
    @Path("/pause")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Pause automatic deployments fleet-wide; running ones finish, targets are still probed")
    @SecurityRequirement(name = ApiDocument.BEARER)
    @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ReasonBody.class)))
    public FleetJson pause(byte[] body) {
        controls.pauseFleet(ReasonBody.read(body));
        return FleetJson.of(loop.fleetControl());
    }

    @POST
    @Path("/resume")
    @Operation(summary = "Resume automatic deployments fleet-wide")
    @SecurityRequirement(name = ApiDocument.BEARER)
    public FleetJson resume() {
        controls.resumeFleet();
        return FleetJson.of(loop.fleetControl());
    }
}
