package io.fleetward.reconcile;

import io.fleetward.fleet.CommitId;
import io.fleetward.source.FetchResult;
import io.fleetward.source.GitSource;
import io.fleetward.source.SourceException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Step 2: fetches the tracked branch when the pass asked for it. Sets the last fetch (time, result,
 * error) and counts it. A failed fetch keeps the revision fetched before and goes on with it. Ends
 * the pass when no revision was ever fetched.
 */
final class FetchSource implements Step {
    private static final Logger LOG = Logger.getLogger(FetchSource.class);

    private final GitSource source;
    private final FleetState state;
    private final LoopMetrics metrics;
    private final Clock clock;

    FetchSource(GitSource source, FleetState state, LoopMetrics metrics, Clock clock) {
        this.source = source;
        this.state = state;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "fetch source";
    }

    @Override
    public StepResult run(Pass pass) {
        if (pass.fetch) {
            fetch();
        }
        return source.revision().isPresent() ? StepResult.CONTINUE : StepResult.stop("no revision fetched yet");
    }

    private void fetch() {
        Instant at = clock.instant();
        try {
            FetchResult result = source.fetch();
            String outcome = result.changed() ? "changed" : "unchanged";
            state.lastFetch = new FleetState.FetchState(at, outcome, null);
            metrics.sourceFetched(outcome, result.took(), at);
            if (result.forced()) {
                // Whether it is deployed is the source checks' decision (VerifySource): by default it is refused.
                LOG.warnf("source: branch was force-pushed to %s", CommitId.abbreviate(result.revision()));
            }
        } catch (SourceException e) {
            state.lastFetch = new FleetState.FetchState(at, "error", e.getMessage());
            metrics.sourceFetched("error", Duration.between(at, clock.instant()), at);
            LOG.warnf("source: fetch failed, keeping revision %s: %s",
                    CommitId.abbreviate(source.revision().orElse(null)), e.getMessage());
        }
    }
}
