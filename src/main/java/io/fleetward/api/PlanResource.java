package io.fleetward.api;

import io.fleetward.reconcile.ReconcileLoop;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The plan the loop would carry out now, computed from the last observations; asking changes nothing. */
@Path("/api/v1/plan")
@Produces(MediaType.APPLICATION_JSON)
public class PlanResource {
    @Inject
    ReconcileLoop loop;

    @GET
    @Operation(summary = "What would be deployed now, in which order and why, and what is deferred and why")
    public PlanJson get() {
        return PlanJson.of(loop.plan());
    }
}
