package io.fleetward.reconcile;

import io.fleetward.drift.Drift;
import io.fleetward.execute.DeploymentRequest;
import io.fleetward.execute.DeploymentResult;
import io.fleetward.fleet.CommitId;
import io.fleetward.fleet.Target;
import io.fleetward.fleet.TargetId;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Step 7: plans (pure {@link Planner}) and starts what the plan allows now on the deployment pool.
 * Reads drifts, retries, suspended, forced, running and the fleet control; sets running, drops the
 * forced flag of what starts, and logs each deferral when it changes. A started deployment always
 * hands back a {@link LoopEvent.DeploymentFinished}, even when the deployment itself threw. Tells
 * ({@link FleetEvents}) each out-of-band change the drifts show for the first time, then each
 * deployment it starts. Never ends the pass.
 */
final class PlanAndStart implements Step {
    private static final Logger LOG = Logger.getLogger(PlanAndStart.class);

    private final Planner planner;
    private final FleetState state;
    private final LoopSettings settings;
    private final DeploymentRunner deployer;
    private final Executor deploys;
    private final Consumer<LoopEvent.DeploymentFinished> handBack;
    private final Clock clock;
    private final FleetEvents fleetEvents;

    PlanAndStart(Planner planner, FleetState state, LoopSettings settings, DeploymentRunner deployer, Executor deploys,
                 Consumer<LoopEvent.DeploymentFinished> handBack, Clock clock, FleetEvents fleetEvents) {
        this.fleetEvents = fleetEvents;
        this.planner = planner;
        this.state = state;
        this.settings = settings;
        this.deployer = deployer;
        this.deploys = deploys;
        this.handBack = handBack;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "plan and start";
    }

    @Override
    public StepResult run(Pass pass) {
        fleetEvents.driftsResolved(state.drifts, state.observations, state::target);
        // In dry run a deployment is reported once per target and revision, then left out of planning.
        List<Drift> candidates = state.drifts.values().stream()
                .filter(d -> !settings.dryRun() || !d.desiredRevision().equals(state.dryRunDone.get(d.target())))
                .toList();
        startRollbacks(pass);
        Plan plan = planner.plan(input(state, candidates, settings, clock.instant()));
        for (Deferral deferral : plan.deferred()) {
            if (!deferral.reason().equals(state.lastDeferral.put(deferral.target(), deferral.reason()))) {
                LOG.infof("plan: %s deferred: %s", deferral.target(), deferral.reason());
            }
        }
        for (PlannedDeployment planned : plan.deployments()) {
            state.lastDeferral.remove(planned.target());
            Target target = state.target(planned.target()).orElseThrow();
            LOG.infof("plan: deploy %s at %s (attempt %d, trigger %s): %s", planned.target(),
                    CommitId.abbreviate(planned.revision()), planned.attempt(), pass.trigger, planned.reason());
            boolean requested = state.forced.remove(planned.target());
            state.rolloutStarted(planned.target(), planned.revision());
            start(new DeploymentRequest(target, planned.revision(), planned.reason(), pass.trigger, planned.attempt(),
                    requested, state.observations.get(planned.target())));
        }
        return StepResult.CONTINUE;
    }

    /**
     * Starts operators' rollbacks whose host is free (one deployment per host), before the plan, so a
     * rollback is never queued behind new deployments; recorded as deployments with trigger {@code rollback}.
     */
    private void startRollbacks(Pass pass) {
        for (var it = state.rollbacks.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            TargetId id = entry.getKey();
            var target = state.target(id);
            if (target.isEmpty() || state.running.containsKey(id)) {
                it.remove();
                continue;
            }
            if (state.busyHosts().contains(id.host())) {
                continue;
            }
            it.remove();
            Drift drift = state.drifts.get(id);
            // The revision rolled back from is the one the target runs (it is held from then on), not a
            // desired revision that has not reached it yet.
            String revision = drift != null && drift.deployedRevision() != null ? drift.deployedRevision()
                    : drift != null ? drift.desiredRevision() : state.inventory.revision();
            LOG.infof("plan: roll %s back to %s (trigger rollback)", id,
                    io.fleetward.fleet.StorePath.nameOf(entry.getValue()));
            start(new DeploymentRequest(target.get(), revision, "rollback requested to "
                    + io.fleetward.fleet.StorePath.nameOf(entry.getValue()), "rollback", 1, true,
                    state.observations.get(id), entry.getValue()));
        }
    }

    /** What the planner decides from, for these drifts (running targets are left out: they are busy). */
    static PlanInput input(FleetState state, Collection<Drift> drifts, LoopSettings settings, Instant now) {
        List<Drift> idle = drifts.stream().filter(d -> !state.running.containsKey(d.target())).toList();
        return new PlanInput(idle, state.retries, state.suspended, state.busyHosts(), state.forced,
                settings.parallelism() - state.running.size(), settings.backoff().maxAttempts(),
                state.fleetControl.paused(), now, state.rolloutHolds);
    }

    private void start(DeploymentRequest request) {
        TargetId id = request.target().id();
        state.running.put(id, request);
        try {
            deploys.execute(() -> {
                DeploymentResult result = DeploymentResult.transientFailure(DeploymentResult.NO_ROW, null,
                        "the deployment's thread died", null);
                try {
                    result = runToEnd(request);
                } finally {
                    handBack.accept(new LoopEvent.DeploymentFinished(request, result));
                }
            });
        } catch (RejectedExecutionException e) {
            state.running.remove(id); // shutting down
            return;
        }
        if (!settings.dryRun()) {
            fleetEvents.deploymentStarted(request);
        }
    }

    /** The deployment's result; a deployment that threw still ends, FAILED with the reason (retried). */
    private DeploymentResult runToEnd(DeploymentRequest request) {
        try {
            return deployer.deploy(request);
        } catch (RuntimeException e) {
            LOG.errorf(e, "deployment of %s failed unexpectedly", request.target().id());
            return DeploymentResult.transientFailure(DeploymentResult.NO_ROW, null,
                    "deployment failed unexpectedly: " + e.getMessage(), null);
        }
    }
}
