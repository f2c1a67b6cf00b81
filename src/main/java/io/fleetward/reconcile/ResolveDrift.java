package io.fleetward.reconcile;

import io.fleetward.drift.DriftResolver;
import io.fleetward.drift.Ledger;
import io.fleetward.fleet.Inventory;
import io.fleetward.fleet.Target;
import io.fleetward.source.GitSource;
import java.util.Optional;

/**
 * Step 6: resolves the drift of every target (pure, from its observation, the ledger, the changed
 * paths and the desired path). Reads observations and desired paths; sets the drifts. Never ends
 * the pass.
 */
final class ResolveDrift implements Step {
    private final DriftResolver resolver;
    private final Ledger ledger;
    private final GitSource source;
    private final FleetState state;

    ResolveDrift(DriftResolver resolver, Ledger ledger, GitSource source, FleetState state) {
        this.resolver = resolver;
        this.ledger = ledger;
        this.source = source;
        this.state = state;
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
            state.drifts.put(target.id(), resolver.resolve(target, fleet.revision(),
                    state.observations.get(target.id()), ledger, source, fleet.allUsers(),
                    Optional.ofNullable(state.desiredPaths.get(target.id()))));
        }
        return StepResult.CONTINUE;
    }
}
