package io.fleetward.reconcile;

import io.fleetward.drift.Drift;
import io.fleetward.fleet.Target;
import io.fleetward.fleet.TargetId;
import io.fleetward.observe.Observation;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Step 7: probes again, just before they deploy, the targets the plan would start now, unless what
 * they show was taken in this pass (a probe or check-in this pass applied, or a probe of this
 * pass): the pass planned from the last observations, and a target may have changed since (an
 * out-of-band switch, a machine gone). What a deployment left is not fresh enough: the machine may
 * have gone since.
 * Asks the pure planner what would start (the same question the next step asks), probes those
 * targets in parallel and waits for them only; when one shows something else than before, drift is
 * resolved again ({@link ResolveDrift}), the rollout advanced again ({@link AdvanceRollout}: a canary
 * found unreachable no longer holds its wave) and the plan asked again, at most {@link #ROUNDS} times, so
 * that a target freed into the plan by another's change is probed too. Sets observations and,
 * through resolve drift, the drifts. Never ends the pass.
 */
final class ObserveBeforeDeploy implements Step {
    private static final Logger LOG = Logger.getLogger(ObserveBeforeDeploy.class);
    static final int ROUNDS = 3;

    private final Planner planner;
    private final FleetState state;
    private final LoopSettings settings;
    private final Observe observe;
    private final ResolveDrift resolveDrift;
    private final AdvanceRollout advanceRollout;
    private final Clock clock;

    ObserveBeforeDeploy(Planner planner, FleetState state, LoopSettings settings, Observe observe,
                        ResolveDrift resolveDrift, AdvanceRollout advanceRollout, Clock clock) {
        this.advanceRollout = advanceRollout;
        this.planner = planner;
        this.state = state;
        this.settings = settings;
        this.observe = observe;
        this.resolveDrift = resolveDrift;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "observe before deploy";
    }

    @Override
    public StepResult run(Pass pass) {
        for (int round = 0; round < ROUNDS; round++) {
            Instant now = clock.instant();
            List<Target> stale = new ArrayList<>();
            Map<TargetId, Observation> before = new HashMap<>();
            for (PlannedDeployment planned : planner.plan(PlanAndStart.input(state, candidates(), settings, now))
                    .deployments()) {
                TargetId id = planned.target();
                if (pass.probedNow.contains(id)) {
                    continue;
                }
                Observation last = state.observations.get(id);
                state.target(id).ifPresent(stale::add);
                before.put(id, last);
            }
            if (stale.isEmpty()) {
                return StepResult.CONTINUE;
            }
            StepResult probed = observe.awaitProbes(stale, pass);
            if (!probed.proceeds()) {
                return probed;
            }
            List<String> changes = new ArrayList<>();
            for (Target target : stale) {
                Observation now2 = state.observations.get(target.id());
                String change = now2 == null ? null : ProbeRounds.change(before.get(target.id()), now2);
                if (change != null) {
                    changes.add(target.id() + ": " + change);
                    pass.driftByRules.remove(target.id());
                }
            }
            LOG.debugf("probed %d target(s) before deploying them: %s", stale.size(),
                    changes.isEmpty() ? "as known" : String.join("; ", changes));
            if (changes.isEmpty()) {
                return StepResult.CONTINUE;
            }
            LOG.infof("before deploying: %s; resolving drift again", String.join("; ", changes));
            resolveDrift.run(pass);
            advanceRollout.run(pass);
        }
        return StepResult.CONTINUE;
    }

    /** The drifts the next step plans from (in dry run, those not reported at their revision yet). */
    private List<Drift> candidates() {
        return state.drifts.values().stream()
                .filter(d -> !settings.dryRun() || !d.desiredRevision().equals(state.dryRunDone.get(d.target())))
                .toList();
    }
}
