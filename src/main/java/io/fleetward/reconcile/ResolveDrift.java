package io.fleetward.reconcile;

import io.fleetward.drift.Drift;
import io.fleetward.drift.DriftResolver;
import io.fleetward.drift.DriftStatus;
import io.fleetward.drift.Ledger;
import io.fleetward.execute.LedgerWriter;
import io.fleetward.fleet.Inventory;
import io.fleetward.fleet.Target;
import io.fleetward.fleet.TargetId;
import io.fleetward.observe.Observation;
import io.fleetward.source.GitSource;
import java.time.Clock;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Step 6: resolves the drift of every target (pure, from its observation, the ledger, the changed
 * paths and, in exact mode, the evaluated desired path). A target the path rules call drifted whose
 * evaluation runs or failed is not deployed: its verdict is unknown, with the reason. Reads
 * observations and desired paths; sets the drifts. Exact mode: a target found running the path
 * evaluated at the desired revision is recorded in the ledger as at that revision (it runs the
 * desired configuration, exactly as a deployment of it would have left it), so later passes resolve
 * it from that revision without evaluating again. Never ends the pass.
 */
final class ResolveDrift implements Step {
    private static final Logger LOG = Logger.getLogger(ResolveDrift.class);

    private final DriftResolver resolver;
    private final Ledger ledger;
    private final LedgerWriter ledgerWriter;
    private final GitSource source;
    private final FleetState state;
    private final Clock clock;

    ResolveDrift(DriftResolver resolver, Ledger ledger, LedgerWriter ledgerWriter, GitSource source,
                 FleetState state, Clock clock) {
        this.resolver = resolver;
        this.ledger = ledger;
        this.ledgerWriter = ledgerWriter;
        this.source = source;
        this.state = state;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "resolve drift";
    }

    @Override
    public StepResult run(Pass pass) {
        Inventory fleet = pass.inventory;
        state.drifts.clear();
        for (Target target : fleet.targets()) {
            TargetId id = target.id();
            Observation observation = state.observations.get(id);
            String evaluated = state.desiredPaths.get(id);
            Drift known = evaluated == null ? pass.driftByRules.get(id) : null;
            Drift drift = known != null ? known : resolver.resolve(target, fleet.revision(), observation, ledger,
                    source, fleet.allUsers(), Optional.ofNullable(evaluated));
            state.drifts.put(id, awaitingEvaluation(drift));
            if (evaluated != null && drift.status() == DriftStatus.IN_SYNC && observation != null
                    && evaluated.equals(observation.currentPath())
                    && !fleet.revision().equals(drift.deployedRevision())) {
                learn(id, fleet.revision(), evaluated);
            }
        }
        return StepResult.CONTINUE;
    }

    /** A drifted target whose evaluation runs or failed: unknown (not deployed), with why. */
    private Drift awaitingEvaluation(Drift drift) {
        TargetId id = drift.target();
        if (!drift.drifted() || state.desiredPaths.containsKey(id)) {
            return drift;
        }
        String failure = state.evaluationFailures.get(id);
        if (failure != null) {
            return new Drift(id, DriftStatus.UNKNOWN, StatusSummary.evaluationFailed(drift.desiredRevision(), failure),
                    drift.desiredRevision(), drift.deployedRevision());
        }
        if (state.evaluating.contains(id)) {
            return new Drift(id, DriftStatus.UNKNOWN, StatusSummary.evaluating(drift.desiredRevision()),
                    drift.desiredRevision(), drift.deployedRevision());
        }
        return drift;
    }

    private void learn(TargetId id, String revision, String path) {
        if (!state.learned.add(id)) {
            return;
        }
        try {
            ledgerWriter.record(id, revision, path, clock.instant());
        } catch (RuntimeException e) {
            state.learned.remove(id);
            LOG.warnf("%s: could not record in the ledger that it runs the desired path: %s", id, e.getMessage());
        }
    }
}
