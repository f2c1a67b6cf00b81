package io.fleetward.api;

import io.fleetward.fleet.TargetId;
import io.fleetward.store.DeploymentRecord;
import io.fleetward.store.DeploymentStore;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Optional;

/** Deployment history, newest first, and single deployments with their full log. */
@Path("/api/v1/deployments")
@Produces(MediaType.APPLICATION_JSON)
public class DeploymentsResource {
    /** A log larger than this is cut, keeping its end: the API is no file server. */
    static final int MAX_LOG_BYTES = 1 << 20;
    private static final int MAX_LIMIT = 1000;

    @Inject
    DeploymentStore deployments;

    @GET
    public Response list(@QueryParam("target") String target, @QueryParam("limit") @DefaultValue("50") String limit) {
        Optional<TargetId> filter;
        int max;
        try {
            filter = target == null ? Optional.empty() : Optional.of(TargetId.parse(target));
        } catch (IllegalArgumentException e) {
            return ApiError.response(Response.Status.BAD_REQUEST, "target: " + e.getMessage());
        }
        try {
            max = Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            max = -1;
        }
        if (max < 1 || max > MAX_LIMIT) {
            return ApiError.response(Response.Status.BAD_REQUEST, "limit: expected a number from 1 to " + MAX_LIMIT);
        }
        return Response.ok(deployments.list(filter, max).stream().map(r -> DeploymentJson.of(r, null)).toList())
                .build();
    }

    @GET
    @Path("/{id}")
    public Response get(@PathParam("id") String id) {
        long deploymentId;
        try {
            deploymentId = Long.parseLong(id);
        } catch (NumberFormatException e) {
            return ApiError.response(Response.Status.BAD_REQUEST, "deployment id: expected a number");
        }
        return deployments.find(deploymentId)
                .map(r -> Response.ok(DeploymentJson.of(r, log(r))).build())
                .orElseGet(() -> ApiError.response(Response.Status.NOT_FOUND, "no deployment " + deploymentId));
    }

    /** The full log from disk (its last MiB), or the tail kept in the database when the file is gone. */
    private static String log(DeploymentRecord record) {
        if (record.logFile() != null) {
            java.nio.file.Path file = java.nio.file.Path.of(record.logFile());
            try (InputStream in = Files.newInputStream(file)) {
                long size = Files.size(file);
                in.skipNBytes(Math.max(0, size - MAX_LOG_BYTES));
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                // fall back to the tail below
            }
        }
        return record.logTail();
    }
}
