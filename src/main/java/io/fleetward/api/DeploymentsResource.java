package io.fleetward.api;

import io.fleetward.config.DeployConfig;
import io.fleetward.execute.DeploymentOutcome;
import io.fleetward.fleet.TargetId;
import io.fleetward.store.DeploymentRecord;
import io.fleetward.store.DeploymentStore;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
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
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Deployment history, newest first, single deployments, and their logs (followed while they run). */
@Path("/api/v1/deployments")
@Produces(MediaType.APPLICATION_JSON)
public class DeploymentsResource {
    /** A log larger than this is cut, keeping its end: the API is no file server. */
    static final int MAX_LOG_BYTES = 1 << 20;
    private static final int MAX_LIMIT = 1000;

    /** A log is followed for at most the deploy timeout plus this. */
    private static final Duration FOLLOW_MARGIN = Duration.ofMinutes(1);

    @Inject
    DeploymentStore deployments;

    @Inject
    DeployConfig deploy;

    @Inject
    LogFollowers followers;

    @GET
    @Operation(summary = "Deployments, newest first, optionally of one target")
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
    @Operation(summary = "One deployment with its log (the last MiB; the last lines when the file is gone)")
    public Response get(@PathParam("id") String id) {
        long deploymentId = deploymentId(id);
        return deployments.find(deploymentId)
                .map(r -> Response.ok(DeploymentJson.of(r, log(r))).build())
                .orElseGet(() -> notFound(deploymentId));
    }

    @GET
    @Path("/{id}/log")
    @Produces(MediaType.TEXT_PLAIN + ";charset=UTF-8")
    @Blocking // the record is read here; the stream itself holds no thread (LogFollowers)
    @Operation(summary = "The whole deployment log as text; followed until the deployment ends while it runs")
    @APIResponse(responseCode = "200", description = "the log, streamed", content = @Content(
            mediaType = MediaType.TEXT_PLAIN))
    @APIResponse(responseCode = "400", description = "malformed deployment id")
    @APIResponse(responseCode = "404", description = "no such deployment")
    @APIResponse(responseCode = "410", description = "the log file is gone; GET /api/v1/deployments/{id} has its last lines")
    @APIResponse(responseCode = "429", description = "fleetward.api.max-log-followers clients follow logs already")
    public Multi<byte[]> followLog(@PathParam("id") String id) {
        long deploymentId = deploymentId(id);
        DeploymentRecord r = deployments.find(deploymentId).orElseThrow(
                () -> new ApiErrorException(Response.Status.NOT_FOUND, "no deployment " + deploymentId));
        boolean running = r.outcome() == DeploymentOutcome.RUNNING;
        if (!running && (r.logFile() == null || !Files.isReadable(java.nio.file.Path.of(r.logFile())))) {
            throw new ApiErrorException(Response.Status.GONE, "the log file of deployment " + deploymentId
                    + " is gone; GET /api/v1/deployments/" + deploymentId + " has its last lines");
        }
        return followers.follow(deployments, deploymentId, deploy.timeout().plus(FOLLOW_MARGIN)).orElseThrow(
                () -> new ApiErrorException(Response.Status.TOO_MANY_REQUESTS, followers.max()
                        + " clients follow deployment logs already (fleetward.api.max-log-followers); try again later"));
    }

    @ServerExceptionMapper
    Response refused(ApiErrorException e) {
        return e.response();
    }

    private static long deploymentId(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new BadRequestException("deployment id: expected a number");
        }
    }

    private static Response notFound(long id) {
        return ApiError.response(Response.Status.NOT_FOUND, "no deployment " + id);
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
