package io.fleetward.api;

import io.fleetward.fleet.TargetId;
import io.fleetward.reconcile.FleetControls;
import io.fleetward.reconcile.ReconcileLoop;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/** The fleet's targets with their status, and the per-target controls: sync now, suspend, resume. */
@Path("/api/v1/targets")
@Produces(MediaType.APPLICATION_JSON)
public class TargetsResource {
    @Inject
    ReconcileLoop loop;

    @Inject
    FleetControls controls;

    @GET
    @Operation(summary = "Every target with its status, sorted by id")
    public List<TargetJson> list() {
        return loop.targets().stream().map(TargetJson::of).toList();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One target: system:<host> or home:<user>@<host>")
    @APIResponse(responseCode = "200", description = "the target")
    @APIResponse(responseCode = "400", description = "malformed target id")
    @APIResponse(responseCode = "404", description = "no such target")
    public Response get(@PathParam("id") String id) {
        TargetId target = targetId(id);
        return loop.target(target)
                .map(view -> Response.ok(TargetJson.of(view)).build())
                .orElseGet(() -> ApiError.response(Response.Status.NOT_FOUND, "no target " + target));
    }

    @POST
    @Path("/{id}/sync")
    @Operation(summary = "Deploy the target's desired revision now, even if it is in sync")
    @SecurityRequirement(name = ApiDocument.BEARER)
    @APIResponse(responseCode = "202", description = "the deployment is queued; watch /api/v1/deployments")
    @APIResponse(responseCode = "404", description = "no such target")
    @APIResponse(responseCode = "409", description = "the target is suspended or deploying")
    public Response sync(@PathParam("id") String id) {
        TargetId target = targetId(id);
        controls.sync(target);
        return Response.accepted(new Accepted("sync", target.toString())).build();
    }

    @POST
    @Path("/{id}/rollback")
    @Operation(summary = "Roll the target back to the path it ran before its last deployment")
    @SecurityRequirement(name = ApiDocument.BEARER)
    @APIResponse(responseCode = "202", description = "the rollback is queued; it is recorded as a deployment with trigger rollback")
    @APIResponse(responseCode = "404", description = "no such target")
    @APIResponse(responseCode = "409", description = "the target is deploying, or no path before a deployment is known since fleetward started")
    public Response rollback(@PathParam("id") String id) {
        TargetId target = targetId(id);
        controls.rollback(target);
        return Response.accepted(new Accepted("rollback", target.toString())).build();
    }

    @POST
    @Path("/{id}/suspend")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Stop automatic deployments of the target (it is still probed)")
    @SecurityRequirement(name = ApiDocument.BEARER)
    @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ReasonBody.class)))
    @APIResponse(responseCode = "200", description = "suspended",
            content = @Content(schema = @Schema(implementation = SuspensionJson.class)))
    @APIResponse(responseCode = "404", description = "no such target")
    public SuspensionJson suspend(@PathParam("id") String id, byte[] body) {
        TargetId target = targetId(id);
        String reason = ReasonBody.read(body);
        controls.suspend(target, reason);
        return new SuspensionJson(target.toString(), true, reason);
    }

    @POST
    @Path("/{id}/resume")
    @Operation(summary = "Resume automatic deployments of the target")
    @SecurityRequirement(name = ApiDocument.BEARER)
    @APIResponse(responseCode = "200", description = "resumed",
            content = @Content(schema = @Schema(implementation = SuspensionJson.class)))
    @APIResponse(responseCode = "404", description = "no such target")
    public SuspensionJson resume(@PathParam("id") String id) {
        TargetId target = targetId(id);
        controls.resume(target);
        return new SuspensionJson(target.toString(), false, null);
    }

    /** The target id in a path, or a 400 with the reason. */
    static TargetId targetId(String text) {
        try {
            return TargetId.parse(text);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
    }
}
