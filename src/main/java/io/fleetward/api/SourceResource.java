package io.fleetward.api;

import io.fleetward.config.SourceConfig;
import io.fleetward.reconcile.ReconcileLoop;
import io.fleetward.reconcile.SourceView;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The desired-state repository: URL (without credentials), branch, revision, last fetch, inventory problems. */
@Path("/api/v1/source")
@Produces(MediaType.APPLICATION_JSON)
public class SourceResource {
    @Inject
    ReconcileLoop loop;

    @Inject
    SourceConfig source;

    @GET
    public SourceView get() {
        return loop.sourceView(source.runsDemo());
    }
}
