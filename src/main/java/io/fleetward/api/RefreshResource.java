package io.fleetward.api;

import io.fleetward.reconcile.ReconcileLoop;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/** Fetch now: a reconcile pass that starts with a fetch, instead of waiting for the poll timer. */
@Path("/api/v1/refresh")
@Produces(MediaType.APPLICATION_JSON)
public class RefreshResource {
    @Inject
    ReconcileLoop loop;

    @POST
    @Operation(summary = "Fetch the source and reconcile now (coalesces with passes already queued)")
    @SecurityRequirement(name = ApiDocument.BEARER)
    @APIResponse(responseCode = "202", description = "a pass with a fetch is queued")
    public Response refresh() {
        loop.request("api refresh", true);
        return Response.accepted(new Accepted("refresh", null)).build();
    }
}
