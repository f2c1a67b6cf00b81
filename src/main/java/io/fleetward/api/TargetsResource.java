package io.fleetward.api;

import io.fleetward.fleet.TargetId;
import io.fleetward.reconcile.ReconcileLoop;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** The fleet's targets with their status. */
@Path("/api/v1/targets")
@Produces(MediaType.APPLICATION_JSON)
public class TargetsResource {
    @Inject
    ReconcileLoop loop;

    @GET
    public List<TargetJson> list() {
        return loop.targets().stream().map(TargetJson::of).toList();
    }

    @GET
    @Path("/{id}")
    public Response get(@PathParam("id") String id) {
        TargetId target;
        try {
            target = TargetId.parse(id);
        } catch (IllegalArgumentException e) {
            return ApiError.response(Response.Status.BAD_REQUEST, e.getMessage());
        }
        return loop.target(target)
                .map(view -> Response.ok(TargetJson.of(view)).build())
                .orElseGet(() -> ApiError.response(Response.Status.NOT_FOUND, "no target " + target));
    }
}
