package io.fleetward.reconcile;

import io.fleetward.drift.Drift;
import io.fleetward.drift.DriftStatus;
import io.fleetward.execute.DeploymentRequest;
import io.fleetward.execute.DeploymentOutcome;
import io.fleetward.execute.DeploymentResult;
import io.fleetward.fleet.Target;
import io.fleetward.fleet.TargetId;
import io.fleetward.observe.Observation;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Turns what the loop sees into {@link FleetEvent}s and posts them to {@link Notifications}. Pass
 * thread only (like {@link FleetState}); posting never blocks and a failing port never fails the pass.
 * Status changes are told once, when they happen: a target that stays UNREACHABLE, or keeps running
 * an out-of-band change, is not told again on every pass.
 *
 * <p>Where each kind comes from: deployment started in {@link PlanAndStart}, succeeded and failed
 * where the pass applies {@link LoopEvent.DeploymentFinished} ({@link ApplyEvents}), out-of-band
 * change once drift is resolved (before the redeployment starts, {@link PlanAndStart}), target
 * unreachable when a pass publishes ({@link Publish}). Rolled back, rollout
 * halted and source verification failed are posted by the features that decide them, through
 * {@link #rolledBack}, {@link #rolloutHalted} and {@link #sourceVerificationFailed}.
 */
public final class FleetEvents {
    private static final Logger LOG = Logger.getLogger(FleetEvents.class);

    private final Notifications notifications;
    private final Clock clock;
    /** The status each target was last published with. */
    private final Map<TargetId, TargetStatus> lastStatus = new HashMap<>();
    /** Targets whose drift was an out-of-band change when last published. */
    private final Set<TargetId> outOfBand = new HashSet<>();

    public FleetEvents(Notifications notifications, Clock clock) {
        this.notifications = notifications;
        this.clock = clock;
    }

    /** A deployment was started. */
    void deploymentStarted(DeploymentRequest request) {
        post(FleetEvent.of(FleetEvent.Kind.DEPLOYMENT_STARTED, request.target(), request.revision(), "started",
                request.reason(), clock.instant()));
    }

    /** A deployment ended (as the pass applies it): succeeded, failed or rolled back; a dry run tells nothing. */
    void deploymentFinished(DeploymentRequest request, DeploymentResult result) {
        if (result.outcome() == DeploymentOutcome.ROLLED_BACK) {
            // A failed health gate rolled back, or an operator's rollback: the target runs what it ran
            // before. A rollback that failed ends FAILED and is told as a failed deployment.
            rolledBack(request.target(), request.revision(), result.reason());
            return;
        }
        FleetEvent.Kind kind = switch (result.outcome()) {
            case SUCCEEDED, UNCHANGED -> FleetEvent.Kind.DEPLOYMENT_SUCCEEDED;
            case FAILED, TIMED_OUT, INTERRUPTED -> FleetEvent.Kind.DEPLOYMENT_FAILED;
            case DRY_RUN, RUNNING, ROLLED_BACK -> null;
        };
        if (kind != null) {
            post(FleetEvent.of(kind, request.target(), request.revision(),
                    result.outcome().name().toLowerCase(Locale.ROOT), result.reason(), clock.instant()));
        }
    }

    /**
     * After a pass published these views: tells each target whose status turned UNREACHABLE. A
     * target's status before the first publish is the one restored from the last run, so a restart
     * does not tell again what was told before it.
     *
     * @param restored statuses from the previous run, by target
     */
    void published(List<TargetView> views, Map<TargetId, TargetState> restored) {
        Set<TargetId> present = new HashSet<>();
        for (TargetView view : views) {
            TargetId id = view.target().id();
            present.add(id);
            TargetStatus before = lastStatus.put(id, view.status());
            if (before == null && restored.containsKey(id)) {
                before = restored.get(id).status();
            }
            if (view.status() == TargetStatus.UNREACHABLE && before != TargetStatus.UNREACHABLE) {
                post(FleetEvent.of(FleetEvent.Kind.TARGET_UNREACHABLE, view.target(), view.desiredRevision(),
                        "unreachable", view.reason(), clock.instant()));
            }
        }
        lastStatus.keySet().retainAll(present);
    }

    /**
     * After drift was resolved, before anything is planned: tells each target whose drift turned into
     * an out-of-band change. Told again only after the target was back at a revision fleetward knows
     * (not merely unreachable or being evaluated in between).
     */
    void driftsResolved(Map<TargetId, Drift> drifts, Map<TargetId, Observation> observations,
                        Function<TargetId, Optional<Target>> targets) {
        for (Drift drift : drifts.values()) {
            if (drift.deployedRevision() != null || drift.status() == DriftStatus.IN_SYNC) {
                outOfBand.remove(drift.target()); // resolved: at a revision fleetward knows again
            } else if (isOutOfBand(drift, observations.get(drift.target())) && outOfBand.add(drift.target())) {
                targets.apply(drift.target()).ifPresent(target -> post(FleetEvent.of(
                        FleetEvent.Kind.OUT_OF_BAND_CHANGE, target, drift.desiredRevision(), "drifted", drift.reason(),
                        clock.instant())));
            }
        }
        outOfBand.retainAll(drifts.keySet());
    }

    /**
     * For the health gate: {@code target} was rolled back from {@code fromRevision} to what it ran
     * before. Call on the pass thread when the rollback is applied.
     */
    public void rolledBack(Target target, String fromRevision, String reason) {
        post(FleetEvent.of(FleetEvent.Kind.ROLLED_BACK, target, fromRevision, "rolled_back", reason, clock.instant()));
    }

    /** For rollouts: the rollout of {@code revision} halted before its next wave. Call once per halt. */
    public void rolloutHalted(String revision, String reason) {
        post(FleetEvent.fleetWide(FleetEvent.Kind.ROLLOUT_HALTED, revision, "halted", reason, clock.instant()));
    }

    /** For source verification: {@code revision} was refused (unsigned, untrusted key, not a descendant). Call once per refused revision. */
    public void sourceVerificationFailed(String revision, String reason) {
        post(FleetEvent.fleetWide(FleetEvent.Kind.SOURCE_VERIFICATION_FAILED, revision, "refused", reason,
                clock.instant()));
    }

    /**
     * Drift's own definition: the machine runs a path (it was observed) whose revision is unknown (no
     * configurationRevision, no ledger entry). In exact mode the reason then names the evaluated and
     * the running path instead of "out-of-band change", so the reason is not what decides.
     */
    private static boolean isOutOfBand(Drift drift, Observation observation) {
        return drift.drifted() && drift.deployedRevision() == null && observation != null && observation.reachable()
                && observation.currentPath() != null;
    }

    private void post(FleetEvent event) {
        try {
            notifications.post(event);
        } catch (RuntimeException e) {
            LOG.warnf("notification of %s for %s not handed over: %s", event.kind().id(),
                    event.target() == null ? "the fleet" : event.target(), e.getMessage());
        }
    }
}
