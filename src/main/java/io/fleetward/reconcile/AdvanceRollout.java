package io.fleetward.reconcile;

import io.fleetward.drift.Drift;
import io.fleetward.drift.DriftStatus;
import io.fleetward.fleet.CommitId;
import io.fleetward.fleet.Inventory;
import io.fleetward.fleet.RolloutRules;
import io.fleetward.fleet.Target;
import io.fleetward.fleet.TargetId;
import io.fleetward.rollout.RolloutPolicy;
import io.fleetward.rollout.RolloutProgress;
import io.fleetward.rollout.RolloutStatus;
import io.fleetward.rollout.TargetPhase;
import io.fleetward.rollout.WaveAssignment;
import io.fleetward.rollout.WindowRules;
import io.fleetward.rollout.WindowVerdict;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Step 7: asks the rollout policy ({@code rollout/}) what may deploy now. Reads the inventory's
 * rollout rules, the drifts, retries, running, suspended and forced targets; sets the rollout
 * progress of the desired revision (a new revision starts a new rollout from wave 1; a failed
 * deployment halts it), the rollout status, and the hold of every drifted target that must wait for
 * its wave, a halted rollout or a maintenance window. Plans a wake-up for the end of a soak and for
 * the next window opening, so no deployment waits for the next poll. Logs each wave that starts and
 * each halt, once. Never ends the pass.
 *
 * <p>An operator's sync passes waves and halts, and windows unless they say {@code manual-sync: false}.
 */
final class AdvanceRollout implements Step {
    private static final Logger LOG = Logger.getLogger(AdvanceRollout.class);

    private final FleetState state;
    private final LoopSettings settings;
    private final LoopMetrics metrics;
    private final PassScheduler scheduler;
    private final Runnable wakeupPass;
    private final Clock clock;
    private final FleetEvents fleetEvents;

    AdvanceRollout(FleetState state, LoopSettings settings, LoopMetrics metrics, PassScheduler scheduler,
                   Runnable wakeupPass, Clock clock, FleetEvents fleetEvents) {
        this.fleetEvents = fleetEvents;
        this.state = state;
        this.settings = settings;
        this.metrics = metrics;
        this.scheduler = scheduler;
        this.wakeupPass = wakeupPass;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "advance rollout";
    }

    @Override
    public StepResult run(Pass pass) {
        Instant now = clock.instant();
        Inventory fleet = pass.inventory;
        RolloutRules rules = fleet.rollout();
        String revision = fleet.revision();
        WaveAssignment waves = WaveAssignment.of(rules, fleet.targets());
        RolloutProgress before = state.rollout;
        RolloutProgress progress = before == null ? RolloutProgress.start(revision) : before.at(revision);
        if (before != null && progress != before && (waves.waves().size() > 1 || before.isHalted())) {
            LOG.infof("rollout: new revision %s, a new rollout from wave %s%s", CommitId.abbreviate(revision),
                    waves.waves().get(0).name(), before.isHalted() ? " (the halted rollout of "
                            + CommitId.abbreviate(before.revision()) + " is over)" : "");
        }
        Map<TargetId, TargetPhase> phases = phases(state, settings, revision);
        progress = RolloutPolicy.advance(progress, waves, phases, failures(revision), rules.haltOnFailure(), now);
        if (progress.isHalted() && !progress.halted().equals(before == null ? null : before.halted())) {
            LOG.warnf("rollout of %s halted: %s; no further target deploys it until it is resumed "
                    + "(POST /api/v1/rollout/resume) or a new revision lands", CommitId.abbreviate(revision),
                    progress.halted());
            fleetEvents.rolloutHalted(revision, progress.halted());
        }
        RolloutStatus status = RolloutPolicy.status(progress, waves, phases, rules.soak(), rules.haltOnFailure(), now);
        RolloutStatus last = state.rolloutStatus;
        if (waves.waves().size() > 1 && (last == null || !last.revision().equals(revision)
                || last.runningWave() != status.runningWave())) {
            RolloutStatus.WaveState running = status.waves().get(status.runningWave() - 1);
            LOG.infof("rollout of %s: wave %s runs (%d of %d)%s", CommitId.abbreviate(revision), running.name(),
                    status.runningWave(), waves.waves().size(), status.pending().isEmpty() ? ""
                            : "; pending (unreachable or suspended): " + status.pending());
        }
        state.rollout = progress;
        state.rolloutWaves = waves;
        state.rolloutStatus = status;
        holds(fleet, rules, status, now);
        metrics.rollout(status.runningWave(), progress.isHalted());
        scheduleWakeup(status, now);
        return StepResult.CONTINUE;
    }

    /** The hold of each target that needs a deployment: the rollout's first, then the windows'. */
    private void holds(Inventory fleet, RolloutRules rules, RolloutStatus status, Instant now) {
        state.rolloutHolds.clear();
        for (Target target : fleet.targets()) {
            TargetId id = target.id();
            Drift drift = state.drifts.get(id);
            boolean forced = state.forced.contains(id);
            if (!forced && (drift == null || !drift.drifted())) {
                continue;
            }
            Optional<String> waiting = forced ? Optional.empty() : status.hold(id);
            if (waiting.isPresent()) {
                state.rolloutHolds.put(id, new Deferral(id, waiting.get()));
                continue;
            }
            WindowVerdict verdict = WindowRules.judge(rules.windows(), target.host(), now, forced);
            if (!verdict.allowed()) {
                state.rolloutHolds.put(id, new Deferral(id, verdict.reason(), verdict.nextOpening()));
            }
        }
    }

    /**
     * Wakes the loop when a soak ends or a window opens for a held target: one pending wake-up, unless
     * an earlier one is needed.
     */
    private void scheduleWakeup(RolloutStatus status, Instant now) {
        Stream.concat(Stream.ofNullable(status.soakUntil()),
                        state.rolloutHolds.values().stream().map(Deferral::nextOpening))
                .filter(at -> at != null && at.isAfter(now))
                .min(Instant::compareTo)
                .ifPresent(at -> {
                    Instant pending = state.rolloutWakeupAt;
                    if (pending == null || at.isBefore(pending) || !pending.isAfter(now)) {
                        state.rolloutWakeupAt = at;
                        scheduler.schedule(() -> {
                            state.rolloutWakeupAt = null; // on the pass thread, like every scheduled task
                            wakeupPass.run();
                        }, Duration.between(now, at));
                        LOG.debugf("rollout: next wake-up at %s", at);
                    }
                });
    }

    /** Why each target failed at {@code revision}, for the halt reason. */
    private Map<TargetId, String> failures(String revision) {
        Map<TargetId, String> failures = new HashMap<>();
        state.retries.forEach((id, retry) -> {
            if (retry.appliesTo(revision)) {
                failures.put(id, retry.lastError());
            }
        });
        return failures;
    }

    /**
     * Where each target of the inventory stands in the rollout of {@code revision}: done when in sync
     * (or, in dry run, reported at it); failed when a deployment at it failed other than transiently
     * (the deploy command, or a rollback); pending when unreachable or suspended; else waiting.
     */
    static Map<TargetId, TargetPhase> phases(FleetState state, LoopSettings settings, String revision) {
        Map<TargetId, TargetPhase> phases = new HashMap<>();
        for (Target target : state.targets()) {
            TargetId id = target.id();
            phases.put(id, phase(state, settings, id, revision));
        }
        return phases;
    }

    private static TargetPhase phase(FleetState state, LoopSettings settings, TargetId id, String revision) {
        if (state.running.containsKey(id)) {
            return TargetPhase.WAITING;
        }
        Drift drift = state.drifts.get(id);
        if (drift == null) {
            return TargetPhase.WAITING;
        }
        RetryState retry = state.retries.get(id);
        // A rollback that failed leaves the machine at R's path (IN_SYNC by drift, FAILED by status): it
        // failed at R, never done.
        if (retry != null && retry.rolledBack() && retry.appliesTo(revision)) {
            return TargetPhase.FAILED;
        }
        if (drift.status() == DriftStatus.IN_SYNC
                || settings.dryRun() && revision.equals(state.dryRunDone.get(id))) {
            return TargetPhase.DONE;
        }
        if (state.suspended.contains(id)) {
            return TargetPhase.PENDING;
        }
        if (retry != null && retry.appliesTo(revision) && !retry.lastTransient()) {
            return TargetPhase.FAILED;
        }
        return drift.status() == DriftStatus.UNREACHABLE ? TargetPhase.PENDING : TargetPhase.WAITING;
    }
}
