package io.fleetward.ui;

import io.fleetward.access.ApiAuth;
import io.fleetward.config.SourceConfig;
import io.fleetward.config.UiConfig;
import io.fleetward.execute.DeploymentOutcome;
import io.fleetward.fleet.TargetId;
import io.fleetward.reconcile.ReconcileLoop;
import io.fleetward.reconcile.TargetView;
import io.fleetward.store.DeploymentRecord;
import io.fleetward.store.DeploymentStore;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import org.eclipse.microprofile.openapi.annotations.Operation;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The dashboard's pages, rendered from the loop's published snapshot and the deployment store.
 * Reads are open as in the API unless {@code fleetward.api.read-requires-token}: then a request
 * without a token gets a page that asks for it and loads the content with it.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML + ";charset=UTF-8")
public class Pages {
    private static final Logger LOG = Logger.getLogger(Pages.class);
    /** How many deployments a target page lists. */
    static final int HISTORY = 20;

    @Inject
    ReconcileLoop loop;

    @Inject
    DeploymentStore deployments;

    @Inject
    SourceConfig source;

    @Inject
    UiConfig ui;

    @Inject
    ApiAuth auth;

    @Location("ui/fleet.html")
    Template fleet;

    @Location("ui/target.html")
    Template target;

    @Location("ui/deployment.html")
    Template deployment;

    @Location("ui/plan.html")
    Template plan;

    @Location("ui/message.html")
    Template message;

    @GET
    @Operation(hidden = true) // a page, not part of the API
    public Response fleet(@QueryParam("status") String status, @QueryParam("tag") String tag,
                          @QueryParam("platform") String platform, @QueryParam("q") String text,
                          @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return gate(authorization, "Fleet").orElseGet(() -> {
            GridFilter filter = new GridFilter(status, tag, platform, text);
            var sourceView = loop.sourceView(source.runsDemo());
            FleetPage page = new FleetPage(sourceView, FleetPage.shortRevision(sourceView.revision()),
                    loop.fleetControl(), FleetGrid.of(loop.targets(), filter), filter);
            return ok(fleet.data("page", page).data("stream", "/ui/events?page=fleet"));
        });
    }

    @GET
    @Operation(hidden = true) // a page, not part of the API
    @Path("targets/{id}")
    public Response target(@PathParam("id") String id, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return gate(authorization, "Target").orElseGet(() -> {
            TargetId targetId;
            try {
                targetId = TargetId.parse(id);
            } catch (IllegalArgumentException e) {
                return failure(Response.Status.BAD_REQUEST, e.getMessage());
            }
            Optional<TargetView> view = loop.target(targetId);
            if (view.isEmpty()) {
                return failure(Response.Status.NOT_FOUND, "no target " + targetId);
            }
            List<HistoryRow> history = deployments.list(Optional.of(targetId), HISTORY).stream()
                    .map(HistoryRow::of).toList();
            return ok(target.data("t", TargetPage.of(view.get())).data("history", history)
                    .data("stream", "/ui/events?page=target&target=" + targetId));
        });
    }

    @GET
    @Operation(hidden = true) // a page, not part of the API
    @Path("deployments/{id}")
    public Response deployment(@PathParam("id") String id, @QueryParam("page") Integer pageNumber,
                               @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return gate(authorization, "Deployment").orElseGet(() -> {
            long deploymentId;
            try {
                deploymentId = Long.parseLong(id);
            } catch (NumberFormatException e) {
                return failure(Response.Status.BAD_REQUEST, "deployment id: expected a number");
            }
            Optional<DeploymentRecord> record = deployments.find(deploymentId);
            if (record.isEmpty()) {
                return failure(Response.Status.NOT_FOUND, "no deployment " + deploymentId);
            }
            DeploymentRecord r = record.get();
            LogPage log = logPage(r, pageNumber);
            boolean follow = r.outcome() == DeploymentOutcome.RUNNING && !log.hasNext() && log.end() >= 0;
            return ok(deployment.data("d", HistoryRow.of(r)).data("log", log).data("running",
                            r.outcome() == DeploymentOutcome.RUNNING)
                    .data("stream", follow ? "/ui/events?page=deployment&deployment=" + r.id() + "&from=" + log.end()
                            : ""));
        });
    }

    @GET
    @Operation(hidden = true) // a page, not part of the API
    @Path("plan")
    public Response plan(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return gate(authorization, "Plan").orElseGet(() -> ok(plan.data("plan", PlanPage.of(loop.plan()))
                .data("stream", "/ui/events?page=plan")));
    }

    private LogPage logPage(DeploymentRecord r, Integer pageNumber) {
        if (r.logFile() != null && Files.isReadable(java.nio.file.Path.of(r.logFile()))) {
            try {
                return LogPage.read(java.nio.file.Path.of(r.logFile()), pageNumber, ui.logPageBytes());
            } catch (IOException e) {
                LOG.debugf("ui: log of deployment %d unreadable (%s); showing its stored tail", r.id(), e.getMessage());
            }
        }
        return LogPage.ofTail(r.logTail());
    }

    /**
     * Empty when the request may read; else the page that asks for the token (no token sent) or says
     * why the token was refused.
     */
    private Optional<Response> gate(String authorization, String title) {
        return auth.check(false, authorization).map(refusal -> authorization == null
                ? ok(message.data("title", title).data("locked", true)
                        .data("text", "This daemon needs an API token to read. Enter it to continue.")
                        .data("stream", ""))
                : Response.status(refusal.status()).entity(message.data("title", title).data("locked", true)
                        .data("text", "Refused: " + refusal.reason()).data("stream", "").render()).build());
    }

    private Response failure(Response.Status status, String text) {
        return Response.status(status).entity(message.data("title", status.getReasonPhrase())
                .data("locked", false).data("text", text).data("stream", "").render()).build();
    }

    private static Response ok(TemplateInstance page) {
        return Response.ok(page.render()).build();
    }

    /** A deployment as a table row or a page header. */
    @io.quarkus.qute.TemplateData
    public record HistoryRow(long id, String target, String revision, String shortRevision, String trigger,
                             String startedAt, String endedAt, String duration, String outcome, String exitCode,
                             String reason) {
        static HistoryRow of(DeploymentRecord r) {
            String duration = r.endedAt() == null ? "running"
                    : formatDuration(Duration.between(r.startedAt(), r.endedAt()));
            return new HistoryRow(r.id(), r.target().toString(), r.revision(), FleetPage.shortRevision(r.revision()),
                    r.trigger(), r.startedAt().toString(), r.endedAt() == null ? "" : r.endedAt().toString(), duration,
                    r.outcome().name(), r.exitCode() == null ? "" : r.exitCode().toString(),
                    r.reason() == null ? "" : r.reason());
        }
    }

    static String formatDuration(Duration d) {
        long seconds = d.toSeconds();
        return seconds < 60 ? d.toMillis() / 100 / 10.0 + " s" : seconds / 60 + " min " + seconds % 60 + " s";
    }
}
