package io.fleetward.api;

import io.fleetward.reconcile.FleetControls;
import io.fleetward.reconcile.ReconcileLoop;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/** The rollout of the desired revision: waves, soak, halt; and resuming a halted one. */
@Path("/api/v1/rollout")
@Produces(MediaType.APPLICATION_JSON)
public class RolloutResource {
    @Inject
    ReconcileLoop loop;

    @Inject
    FleetControls controls;

    @GET
    @Operation(summary = "The rollout of the desired revision: each wave with its targets and their state, "
            + "the soak deadline, why it halted, and the pending (unreachable) targets")
    public RolloutJson get() {
        return RolloutJson.of(loop.rollout(), loop);
    }

    @POST
    @Path("/resume")
    @Operation(summary = "Continue a halted rollout of the same revision; the targets that failed so far no "
            + "longer hold their wave (409 when it is not halted)")
    @SecurityRequirement(name = ApiDocument.BEARER)
    public RolloutJson resume() {
        controls.resumeRollout();
        return RolloutJson.of(loop.rollout(), loop);
    }
}
