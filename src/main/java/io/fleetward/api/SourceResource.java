package io.fleetward.api;

import io.fleetward.access.ApiAuth;
import io.fleetward.config.SourceConfig;
import io.fleetward.reconcile.FleetControls;
import io.fleetward.reconcile.ReconcileLoop;
import io.fleetward.reconcile.SourceView;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/**
 * The desired-state repository: URL (without credentials), branch, revision, last fetch, inventory
 * problems, the source checks' decision; and an operator's acceptance of a rewritten history.
 */
@Path("/api/v1/source")
@Produces(MediaType.APPLICATION_JSON)
public class SourceResource {
    @Inject
    ReconcileLoop loop;

    @Inject
    FleetControls controls;

    @Inject
    SourceConfig source;

    @GET
    public SourceView get() {
        return loop.sourceView(source.runsDemo());
    }

    @POST
    @Path("/accept")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Accept once a fetched revision refused as not-a-descendant (a force-push that was meant)")
    @SecurityRequirement(name = ApiDocument.BEARER)
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = RevisionBody.class)))
    @APIResponse(responseCode = "202", description = "accepted; it is deployed from if it passes the other checks")
    @APIResponse(responseCode = "400", description = "malformed body or revision")
    @APIResponse(responseCode = "409", description = "the revision is not the fetched revision refused as not-a-descendant")
    public jakarta.ws.rs.core.Response accept(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        String revision = RevisionBody.read(body);
        controls.accept(revision, "the API token " + tokenName(authorization));
        return jakarta.ws.rs.core.Response.accepted(new AcceptedRevision("accept", revision)).build();
    }

    /** The answer to an acceptance: what was requested, for which revision. */
    public record AcceptedRevision(String requested, String revision) {
    }

    /**
     * Names the token for the log without revealing it: API tokens carry no name, so the first 12 hex
     * digits of its SHA-256, which is what the configuration holds ({@code fleetward.api.token-hashes}).
     */
    static String tokenName(String authorization) {
        String token = ApiAuth.bearer(authorization).orElse("");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }
}
