package io.fleetward.reconcile;

import io.fleetward.drift.Drift;
import io.fleetward.execute.DeploymentRequest;
import io.fleetward.fleet.Target;
import io.fleetward.fleet.TargetId;
import io.fleetward.observe.Observation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Last step, run after every pass however it ended: summarises each target's status
 * ({@link StatusSummary}), saves the statuses that changed (in one batch), sets the status and stall metrics (a refusal is
 * counted once, when its stall is first published), publishes the {@link FleetSnapshot}, answers
 * the operators' requests the pass applied, tells each target that turned UNREACHABLE
 * ({@link FleetEvents}), and plans the wake-up for the earliest pending retry.
 * Reads the whole state; sets only the pending wake-up.
 */
final class Publish implements Step {
    private static final Logger LOG = Logger.getLogger(Publish.class);

    private final FleetState state;
    private final SavedStatuses statuses;
    private final LoopMetrics metrics;
    private final Planner planner;
    private final LoopSettings settings;
    private final Consumer<FleetSnapshot> publisher;
    private final PassScheduler scheduler;
    private final Runnable retryPass;
    private final Clock clock;
    private final FleetEvents fleetEvents;
    /** The stall the metrics were last told of (pass thread only): each refusal is counted once. */
    private Stall reportedStall;
    /** The same for the verification stall (counted in its own series of the refusal counter). */
    private Stall reportedVerificationStall;
    /**
     * What the store holds for each target, as this loop last saved it (pass thread only): a row is
     * written again only when what it says changed ({@link #sameRow}).
     */
    private final Map<TargetId, TargetState> saved = new HashMap<>();

    Publish(FleetState state, SavedStatuses statuses, LoopMetrics metrics, Planner planner, LoopSettings settings,
            Consumer<FleetSnapshot> publisher, PassScheduler scheduler, Runnable retryPass, Clock clock,
            FleetEvents fleetEvents) {
        this.fleetEvents = fleetEvents;
        this.state = state;
        this.statuses = statuses;
        this.metrics = metrics;
        this.planner = planner;
        this.settings = settings;
        this.publisher = publisher;
        this.scheduler = scheduler;
        this.retryPass = retryPass;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "publish";
    }

    @Override
    public StepResult run(Pass pass) {
        Instant now = clock.instant();
        try {
            publish(views(now, Set.of()), now);
        } finally {
            // Saving may fail (the store is down): the snapshot is out, so the requests are answered anyway.
            pass.answers.forEach(answer -> answer.complete(null));
            scheduleRetryWakeup(now);
        }
        return StepResult.CONTINUE;
    }

    /**
     * The last save at shutdown: targets whose deployment was cut short say so until the next start
     * has observed them again.
     */
    void publishFinal(Set<TargetId> cut) {
        Instant now = clock.instant();
        publish(views(now, cut), now);
    }

    private void publish(List<TargetView> views, Instant now) {
        Map<TargetId, TargetStatus> byId = new HashMap<>();
        List<TargetState> changed = new ArrayList<>();
        for (TargetView view : views) {
            byId.put(view.target().id(), view.status());
            if (view.updatedAt() != null) {
                TargetState row = stored(view);
                if (!sameRow(saved.get(row.target()), row)) {
                    changed.add(row);
                }
            }
        }
        publisher.accept(new FleetSnapshot(state.inventory, views, planView(now), state.fleetControl,
                state.lastFetch, state.shownStall(), state.desiredPaths, state.verification, state.deployedFrom,
                state.rolloutStatus));
        metrics.targetStatuses(byId);
        fleetEvents.published(views, state.restored);
        reportStall(state.stall, state.verificationStall);
        statuses.saveAll(changed); // one batch; throws (nothing remembered as saved) when the store fails
        changed.forEach(row -> saved.put(row.target(), row));
        saved.keySet().retainAll(byId.keySet()); // a target that left has its row deleted (read inventory)
    }

    /**
     * Whether the stored row {@code before} already says what {@code now} says: the same status,
     * reason, revisions, paths and suspension. The probe and update times alone do not make a write
     * (every probe would rewrite its row); they are written with the next change.
     */
    static boolean sameRow(TargetState before, TargetState now) {
        return before != null && before.status() == now.status() && Objects.equals(before.reason(), now.reason())
                && Objects.equals(before.desiredRevision(), now.desiredRevision())
                && Objects.equals(before.deployedRevision(), now.deployedRevision())
                && Objects.equals(before.currentPath(), now.currentPath())
                && Objects.equals(before.bootedPath(), now.bootedPath()) && before.suspended() == now.suspended();
    }

    /** The stall gauge on every publish; the refusal counter once per new stall (inventory, verification). */
    private void reportStall(Stall stall, Stall verificationStall) {
        if (stall != null && !stall.sameRefusal(reportedStall)) {
            metrics.sourceRefused(stall.refusal());
        }
        if (verificationStall != null && !verificationStall.sameRefusal(reportedVerificationStall)) {
            metrics.sourceRefused(verificationStall.refusal());
        }
        reportedStall = stall;
        reportedVerificationStall = verificationStall;
        metrics.sourceStalled(stall != null || verificationStall != null);
    }

    /** Every target of the inventory with its status, sorted by id. */
    private List<TargetView> views(Instant now, Set<TargetId> cut) {
        List<TargetView> views = new ArrayList<>();
        for (Target target : state.targets()) {
            TargetId id = target.id();
            Drift drift = state.drifts.get(id);
            boolean suspended = state.suspended.contains(id);
            Observation observation = state.observations.get(id);
            if (cut.contains(id)) {
                views.add(new TargetView(target, TargetStatus.UNKNOWN,
                        StatusSummary.stalled(StatusSummary.stoppedDuringDeployment(), state.shownStall()),
                        drift == null ? null : drift.desiredRevision(), drift == null ? null : drift.deployedRevision(),
                        null, suspended, now));
            } else if (drift != null) {
                StatusSummary.Shown shown = StatusSummary.describe(drift, state.running.get(id), suspended,
                        state.fleetControl.paused() && !state.forced.contains(id), state.retries.get(id),
                        settings.backoff(), state.shownStall(), state.rolloutHolds.get(id));
                FleetState.DeploymentNote note = state.notes.get(id);
                // A FAILED reason is the deployment's own, which already carries the note.
                String reason = note != null && note.revision().equals(drift.desiredRevision())
                        && shown.status() != TargetStatus.DEPLOYING && shown.status() != TargetStatus.FAILED
                        ? shown.reason() + "; " + note.text() : shown.reason();
                views.add(new TargetView(target, shown.status(), reason, drift.desiredRevision(),
                        drift.deployedRevision(), observation, suspended, now));
            } else {
                TargetState saved = state.restored.get(id);
                views.add(saved == null
                        ? new TargetView(target, TargetStatus.UNKNOWN,
                        StatusSummary.stalled(StatusSummary.notObservedYet(), state.shownStall()),
                        state.inventory.revision(), null, null, suspended, null)
                        : new TargetView(target, saved.status(), saved.reason(), saved.desiredRevision(),
                        saved.deployedRevision(), null, saved.suspended(), saved.updatedAt()));
            }
        }
        return views;
    }

    /** What the loop would start now, in order, and what waits and why. */
    private PlanView planView(Instant now) {
        Plan plan = planner.plan(PlanAndStart.input(state, state.drifts.values(), settings, now));
        List<PlanView.Step> steps = new ArrayList<>();
        for (PlannedDeployment planned : plan.deployments()) {
            steps.add(new PlanView.Step(steps.size() + 1, planned.target(), planned.revision(), planned.attempt(),
                    planned.reason()));
        }
        List<Deferral> deferred = new ArrayList<>(plan.deferred());
        for (DeploymentRequest running : state.running.values()) {
            deferred.add(new Deferral(running.target().id(), StatusSummary.deployingNow(running)));
        }
        deferred.sort(Comparator.comparing(Deferral::target));
        return new PlanView(state.inventory == null ? null : state.inventory.revision(), state.fleetControl.paused(),
                steps, deferred);
    }

    /**
     * Wakes the loop when the earliest pending retry is due: one pending wake-up, unless an earlier
     * one is needed. A wake-up that fires a little early finds the retry still waiting and plans the
     * next one when its pass publishes.
     */
    private void scheduleRetryWakeup(Instant now) {
        state.retries.values().stream()
                .filter(r -> r.notBefore().isAfter(now) && !r.gaveUp(settings.backoff().maxAttempts()))
                .map(RetryState::notBefore)
                .min(Comparator.naturalOrder())
                .ifPresent(at -> {
                    Instant pending = state.nextWakeupAt;
                    if (pending == null || at.isBefore(pending)) {
                        state.nextWakeupAt = at;
                        scheduler.schedule(() -> {
                            state.nextWakeupAt = null; // on the pass thread, like every scheduled task
                            retryPass.run();
                        }, Duration.between(now, at));
                        LOG.debugf("next retry wake-up at %s", at);
                    }
                });
    }

    private static TargetState stored(TargetView view) {
        Observation o = view.observation();
        return new TargetState(view.target().id(), view.status(), view.reason(), view.desiredRevision(),
                view.deployedRevision(), o == null ? null : o.currentPath(), o == null ? null : o.bootedPath(),
                o == null ? null : o.at(), view.suspended(), view.updatedAt());
    }
}
