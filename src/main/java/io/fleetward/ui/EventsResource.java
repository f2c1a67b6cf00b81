package io.fleetward.ui;

import io.fleetward.access.ApiAuth;
import io.fleetward.fleet.TargetId;
import io.fleetward.store.DeploymentRecord;
import io.fleetward.store.DeploymentStore;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import org.eclipse.microprofile.openapi.annotations.Operation;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.Locale;

/**
 * {@code GET /ui/events?page=fleet|plan|target&target=<id>|deployment&deployment=<id>&from=<offset>}:
 * the one event stream of an open dashboard page (server-sent events, see {@link LiveUpdates}).
 * Needs a token when reads do; 429 when {@code fleetward.ui.max-streams} pages follow already.
 */
@Path("/ui/events")
public class EventsResource {
    @Inject
    LiveUpdates live;

    @Inject
    DeploymentStore deployments;

    @Inject
    ApiAuth auth;

    @GET
    @Operation(hidden = true) // a page, not part of the API
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking // a deployment page's record is read here; the stream itself holds no thread
    public Multi<OutboundSseEvent> events(@QueryParam("page") String page, @QueryParam("target") String target,
                                          @QueryParam("deployment") String deployment, @QueryParam("from") String from,
                                          @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                          @Context Sse sse) {
        auth.check(false, authorization).ifPresent(refusal -> {
            throw refused(Response.Status.fromStatusCode(refusal.status()), refusal.reason());
        });
        LiveUpdates.Page kind;
        try {
            kind = LiveUpdates.Page.valueOf(page == null ? "" : page.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw refused(Response.Status.BAD_REQUEST, "page: expected fleet, target, plan or deployment");
        }
        TargetId targetId = null;
        DeploymentRecord record = null;
        long offset = 0;
        if (kind == LiveUpdates.Page.TARGET) {
            try {
                targetId = TargetId.parse(target == null ? "" : target);
            } catch (IllegalArgumentException e) {
                throw refused(Response.Status.BAD_REQUEST, "target: " + e.getMessage());
            }
        }
        if (kind == LiveUpdates.Page.DEPLOYMENT) {
            try {
                long id = Long.parseLong(deployment == null ? "" : deployment);
                offset = from == null ? 0 : Long.parseLong(from);
                if (offset < 0) {
                    throw new NumberFormatException();
                }
                record = deployments.find(id).orElseThrow(() -> refused(Response.Status.NOT_FOUND, "no deployment " + id));
            } catch (NumberFormatException e) {
                throw refused(Response.Status.BAD_REQUEST, "deployment and from: expected numbers");
            }
        }
        return live.open(kind, targetId, record, offset)
                .orElseThrow(() -> refused(Response.Status.TOO_MANY_REQUESTS, live.max()
                        + " dashboard pages receive live updates already (fleetward.ui.max-streams)"))
                .map(event -> sse.newEventBuilder().name(event.name()).data(event.data()).build());
    }

    private static WebApplicationException refused(Response.Status status, String reason) {
        return new WebApplicationException(Response.status(status).type(MediaType.TEXT_PLAIN_TYPE)
                .entity(reason).build());
    }
}
