package io.fleetward.reconcile;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Step 0, once per process: closes the deployments that were running when the process died, and
 * restores the suspensions, the fleet pause and the last known statuses. Sets suspended, the fleet
 * control and the restored statuses. Until it succeeds nothing else runs: deploying without knowing
 * what an operator suspended or paused would be unsafe, so a store that cannot be read makes the
 * pass retry after a while.
 *
 * <p>A deployment left RUNNING is marked INTERRUPTED (its target is probed again). If its command
 * ran on the controller, its process group was recorded: a group still running that deployment's
 * command is ended first (SIGTERM, then SIGKILL), so that no second deployment of the host can
 * start beside it, and the reason says what was found. A command that cannot be ended keeps its row
 * RUNNING and the pass retries: nothing is deployed while it runs.
 */
final class RestoreState implements Step {
    private static final Logger LOG = Logger.getLogger(RestoreState.class);
    static final Duration RETRY = Duration.ofSeconds(5);
    static final String STOPPED = "fleetward stopped while the deployment ran";

    private final UnfinishedDeployments deployments;
    private final LeftoverCommands leftovers;
    private final SavedStatuses statuses;
    private final PauseSwitch pause;
    private final FleetState state;
    private final Clock clock;
    private boolean done;

    RestoreState(UnfinishedDeployments deployments, LeftoverCommands leftovers, SavedStatuses statuses,
                 PauseSwitch pause, FleetState state, Clock clock) {
        this.deployments = deployments;
        this.leftovers = leftovers;
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
        List<String> stillRunning;
        try {
            stillRunning = closeUnfinished();
            if (stillRunning.isEmpty()) {
                restore();
            }
        } catch (RuntimeException e) {
            return StepResult.retryAfter(RETRY, "cannot read the saved state: " + e.getMessage());
        }
        if (!stillRunning.isEmpty()) {
            return StepResult.retryAfter(RETRY, String.join("; ", stillRunning)
                    + ": nothing is deployed until it has ended");
        }
        done = true;
        return StepResult.CONTINUE;
    }

    /** Ends what the last process left running and marks its deployments; returns what could not be ended. */
    private List<String> closeUnfinished() {
        List<String> stillRunning = new ArrayList<>();
        for (UnfinishedDeployments.Unfinished unfinished : deployments.running()) {
            String found = "";
            Long group = unfinished.processGroup();
            if (group != null) {
                LeftoverCommands.Found ending = leftovers.end(unfinished.id(), group);
                if (ending == LeftoverCommands.Found.STILL_RUNNING) {
                    String what = "deployment " + unfinished.id() + " of " + unfinished.target()
                            + ": its command (process group " + group + ") is still running and could not be ended";
                    stillRunning.add(what);
                    continue;
                }
                found = "; " + describe(ending, unfinished.id(), group);
            }
            deployments.interrupt(unfinished.id(), STOPPED + found, clock.instant());
            LOG.warnf("deployment %d of %s was running when fleetward stopped%s: marked INTERRUPTED; re-probing",
                    unfinished.id(), unfinished.target(), found);
        }
        return stillRunning;
    }

    private static String describe(LeftoverCommands.Found found, long deployment, long group) {
        return switch (found) {
            case ENDED_BEFORE -> "its command (process group " + group + ") had already ended";
            case TERMINATED -> "its command (process group " + group + ") was still running and was ended";
            case KILLED -> "its command (process group " + group
                    + ") was still running, outlived SIGTERM and was killed";
            case NOT_OURS -> "process group " + group + " no longer runs its command (none of its processes is"
                    + " deployment " + deployment + "'s): left alone";
            case STILL_RUNNING -> throw new IllegalArgumentException("a command still running is not described");
        };
    }

    private void restore() {
        // A revision a target was rolled back from stays held across a restart.
        for (UnfinishedDeployments.RolledBack rolled : deployments.rolledBack()) {
            state.retries.put(rolled.target(), RetryState.rolledBack(null, rolled.target(), rolled.revision(),
                    rolled.reason() == null ? "rolled back" : rolled.reason(), clock.instant()));
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
