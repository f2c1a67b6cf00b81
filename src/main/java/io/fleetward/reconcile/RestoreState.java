package io.fleetward.reconcile;

import java.time.Clock;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Step 0, once per process: marks deployments that were running when the process died as
 * INTERRUPTED (their targets are probed again), and restores the suspensions, the fleet pause and
 * the last known statuses. Sets suspended, the fleet control and the restored statuses. Until it
 * succeeds nothing else runs: deploying without knowing what an operator suspended or paused would
 * be unsafe, so a store that cannot be read makes the pass retry after a while.
 */
final class RestoreState implements Step {
    private static final Logger LOG = Logger.getLogger(RestoreState.class);
    static final Duration RETRY = Duration.ofSeconds(5);

    private final UnfinishedDeployments deployments;
    private final SavedStatuses statuses;
    private final PauseSwitch pause;
    private final FleetState state;
    private final Clock clock;
    private boolean done;

    RestoreState(UnfinishedDeployments deployments, SavedStatuses statuses, PauseSwitch pause, FleetState state,
                 Clock clock) {
        this.deployments = deployments;
        this.statuses = statuses;
        this.pause = pause;
        this.state = state;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "restore state";
    }

    @Override
    public StepResult run(Pass pass) {
        if (done) {
            return StepResult.CONTINUE;
        }
        try {
            restore();
        } catch (RuntimeException e) {
            return StepResult.retryAfter(RETRY, "cannot read the saved state: " + e.getMessage());
        }
        done = true;
        return StepResult.CONTINUE;
    }

    private void restore() {
        for (UnfinishedDeployments.Interrupted interrupted : deployments.interruptRunning(
                "fleetward stopped while the deployment ran", clock.instant())) {
            LOG.warnf("deployment %d of %s was running when fleetward stopped: marked INTERRUPTED; re-probing",
                    interrupted.id(), interrupted.target());
        }
        for (TargetState saved : statuses.loadAll()) {
            if (saved.suspended()) {
                state.suspended.add(saved.target());
            }
            state.restored.put(saved.target(), saved);
        }
        pause.loadPause().ifPresent(c -> {
            state.fleetControl = c;
            if (c.paused()) {
                LOG.warnf("fleet is paused since %s (%s): automatic deployments stay off until resumed",
                        c.since(), c.reason() == null ? "no reason given" : c.reason());
            }
        });
    }
}
