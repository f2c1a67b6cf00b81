package io.fleetward.reconcile;

import io.fleetward.drift.ChangedPaths;
import io.fleetward.drift.Drift;
import io.fleetward.drift.DriftResolver;
import io.fleetward.drift.Ledger;
import io.fleetward.fleet.CommitId;
import io.fleetward.fleet.Host;
import io.fleetward.fleet.Inventory;
import io.fleetward.fleet.Target;
import io.fleetward.fleet.TargetId;
import io.fleetward.observe.HostReport;
import io.fleetward.rollout.RolloutStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * What operators and hosts ask of the loop, from any thread (HTTP, webhooks): sync, suspend,
 * resume, pause and resume the fleet, and host check-ins. Each request is checked against the last
 * published snapshot for a quick refusal, then handed to the pass thread as an event; the pass
 * checks it again against the current state and applies it. Nothing here changes the fleet state.
 */
public final class FleetControls {
    private static final Logger LOG = Logger.getLogger(FleetControls.class);
    /** How long a request waits for the pass that applies it before it is answered as queued. */
    static final Duration ANSWER_WAIT = Duration.ofSeconds(10);

    private final EventQueue events;
    private final Supplier<FleetSnapshot> snapshot;
    private final Consumer<String> requestPass;
    private final DriftResolver resolver;
    private final Ledger ledger;
    private final ChangedPaths source;

    FleetControls(EventQueue events, Supplier<FleetSnapshot> snapshot, Consumer<String> requestPass,
                  DriftResolver resolver, Ledger ledger, ChangedPaths source) {
        this.events = events;
        this.snapshot = snapshot;
        this.requestPass = requestPass;
        this.resolver = resolver;
        this.ledger = ledger;
        this.source = source;
    }

    /**
     * Deploys {@code id} at the desired revision, even when it is in sync and while the fleet is
     * paused. Answers once the pass that applied it has published its effect.
     *
     * @throws ControlException NOT_FOUND for an unknown target, CONFLICT when it is suspended or deploying
     */
    public void sync(TargetId id) {
        TargetView view = requireTarget(id);
        if (view.suspended()) {
            throw new ControlException(ControlException.Kind.CONFLICT, id + " is suspended; resume it first");
        }
        if (view.status() == TargetStatus.DEPLOYING) {
            throw new ControlException(ControlException.Kind.CONFLICT, id + " is deploying now");
        }
        answer(events.request(new LoopEvent.Sync(id)), "sync " + id);
    }

    /**
     * Rolls {@code id} back to the path it ran before its last deployment (one since this start), recorded
     * as a deployment with trigger {@code rollback}; the revision rolled back from is not deployed there
     * again until the revision moves. Answers once the pass that applied it has published.
     *
     * @throws ControlException NOT_FOUND for an unknown target, CONFLICT when it is deploying or no path
     *                          before a deployment is known
     */
    public void rollback(TargetId id) {
        TargetView view = requireTarget(id);
        if (view.status() == TargetStatus.DEPLOYING) {
            throw new ControlException(ControlException.Kind.CONFLICT, id + " is deploying now");
        }
        answer(events.request(new LoopEvent.Rollback(id)), "rollback " + id);
    }

    /**
     * Stops automatic and requested deployments of {@code id} until {@link #resume}; it is still
     * probed. A running deployment is not stopped. Kept across restarts.
     *
     * @throws ControlException NOT_FOUND for an unknown target
     */
    public void suspend(TargetId id, String reason) {
        requireTarget(id);
        answer(events.request(new LoopEvent.Suspend(id, reason)), "suspend " + id);
    }

    /** @throws ControlException NOT_FOUND for an unknown target */
    public void resume(TargetId id) {
        requireTarget(id);
        answer(events.request(new LoopEvent.Resume(id)), "resume " + id);
    }

    /** Stops automatic deployments fleet-wide (probing and requested syncs go on). Kept across restarts. */
    public void pauseFleet(String reason) {
        answer(events.request(new LoopEvent.PauseFleet(reason)), "fleet paused");
    }

    /** Restarts automatic deployments. */
    public void resumeFleet() {
        answer(events.request(new LoopEvent.ResumeFleet()), "fleet resumed");
    }

    /**
     * Accepts {@code revision} once although it does not descend from the last revision deployed from
     * (a force-push the operator meant): the pass that applies it takes it as the desired revision if it
     * passes the other checks. Answers once that pass has published.
     *
     * @param by who accepts, for the log (never a secret)
     * @throws ControlException CONFLICT when {@code revision} is not the fetched revision refused as
     *                          {@code not-a-descendant}
     */
    public void accept(String revision, String by) {
        SourceRefusals.requireNotADescendant(snapshot.get().verification(), revision);
        answer(events.request(new LoopEvent.AcceptRevision(revision, by)), "accept " + revision);
    }

    /**
     * Continues the halted rollout of the desired revision: the targets that failed so far are
     * accepted (they no longer hold their wave) and the next wave starts when the others are done.
     *
     * @throws ControlException CONFLICT when the rollout is not halted
     */
    public void resumeRollout() {
        RolloutStatus rollout = snapshot.get().rollout();
        if (rollout == null || rollout.halted() == null) {
            throw new ControlException(ControlException.Kind.CONFLICT, rollout == null ? "no rollout yet"
                    : "the rollout of " + CommitId.abbreviate(rollout.revision()) + " is not halted");
        }
        answer(events.request(new LoopEvent.ResumeRollout()), "rollout resumed");
    }

    /** Waits for the pass that applies a request; a refusal is thrown, a busy loop answers "queued". */
    private void answer(CompletableFuture<Void> answer, String trigger) {
        requestPass.accept(trigger);
        try {
            answer.get(ANSWER_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            LOG.infof("%s: queued; the loop is busy and applies it at its next pass", trigger);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Takes a host's check-in as the observation of its targets (its system target, and the home
     * targets of the standalone users it reports). Answers at once with what the report shows,
     * resolved against the last published state; the next pass applies it and deploys what drifted.
     *
     * @throws ControlException NOT_FOUND when the host is not in the inventory
     */
    public ReportOutcome report(HostReport report) {
        FleetSnapshot now = snapshot.get();
        Host host = now.host(report.host()).orElseThrow(() ->
                new ControlException(ControlException.Kind.NOT_FOUND, "no host " + report.host() + " in the inventory"));
        Inventory fleet = now.inventory();
        List<TargetId> observed = new ArrayList<>();
        List<TargetId> drifted = new ArrayList<>();
        for (Target target : fleet.targets()) {
            if (report.covers(target)) {
                observed.add(target.id());
                Drift drift = resolver.resolve(target, fleet.revision(), report.observation(target),
                        ledger, source, fleet.allUsers(),
                        Optional.ofNullable(now.desiredPaths().get(target.id())));
                if (drift.drifted()) {
                    drifted.add(target.id());
                }
            }
        }
        ReportOutcome outcome = new ReportOutcome(observed, drifted);
        LOG.infof("check-in from %s: %d target(s) observed, %s", host.name(), observed.size(),
                outcome.reconcileTriggered() ? "drifted: " + drifted + "; reconciling now" : "nothing to deploy");
        events.add(new LoopEvent.CheckIn(report));
        requestPass.accept("check-in " + host.name());
        return outcome;
    }

    private TargetView requireTarget(TargetId id) {
        return snapshot.get().target(id)
                .orElseThrow(() -> new ControlException(ControlException.Kind.NOT_FOUND, "no target " + id));
    }
}
