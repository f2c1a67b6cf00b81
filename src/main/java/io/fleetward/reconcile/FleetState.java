package io.fleetward.reconcile;

import io.fleetward.drift.Drift;
import io.fleetward.execute.DeploymentRequest;
import io.fleetward.fleet.Inventory;
import io.fleetward.fleet.Target;
import io.fleetward.fleet.TargetId;
import io.fleetward.observe.Observation;
import io.fleetward.rollout.RolloutProgress;
import io.fleetward.rollout.RolloutStatus;
import io.fleetward.rollout.WaveAssignment;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * All mutable state of the fleet as the loop knows it. <b>Only the pass thread touches it</b>:
 * the steps of a pass read and write it; every other thread hands over a {@link LoopEvent} that
 * the next pass applies first, or reads the {@link FleetSnapshot} published at the end of a pass.
 * Hence plain collections and no locks. (After shutdown has stopped the pass thread, the closing
 * thread takes it over for the last save.)
 */
final class FleetState {
    /** The inventory deployed from: the last one that could be read. Null before the first. */
    Inventory inventory;
    /**
     * The newest revision, refused: set by the step that refuses it (a refused revision is read once,
     * not on every pass), cleared when a newer revision is accepted. Null when nothing is stalled.
     */
    Stall stall;
    /**
     * The newest fetched revision, refused by the source checks (signatures, anti-rollback): set by
     * {@link VerifySource}, cleared when the fetched revision passes. Null when nothing is refused.
     */
    Stall verificationStall;
    /** The source checks' decision on the newest fetched revision, for the API; null before the first. */
    SourceVerification verification;
    /** The last revision deployed from (the anti-rollback anchor); null before the first. */
    DeployedFrom deployedFrom;
    /** Whether {@link #deployedFrom} was read from the store (once, at the first pass). */
    boolean deployedFromLoaded;
    /** The fetched revision that passed the checks, taken as {@link #deployedFrom} once its inventory is read. */
    DeployedFrom admitted;
    /** A revision an operator accepted once although it does not descend from {@link #deployedFrom}, and who. */
    LoopEvent.AcceptRevision acceptOnce;
    /** The last fetch, for the API and readiness. */
    FetchState lastFetch = FetchState.NONE;
    /** What each machine reported last (probe, deployment re-probe or check-in). */
    final Map<TargetId, Observation> observations = new HashMap<>();
    /** The latest check-in of each target (push mode); stands in for a failed probe while fresh. */
    final Map<TargetId, Observation> reports = new HashMap<>();
    /**
     * Orders observations without trusting clocks: every probe gets a ticket when it is sent, and
     * every observation taken (probe, deployment, check-in) records the ticket it was newest at. A
     * probe sent before the target's last observation or deployment is stale when it comes back.
     */
    private long tickets;
    private final Map<TargetId, Long> observedAt = new HashMap<>();
    final Map<TargetId, RetryState> retries = new HashMap<>();
    final Map<TargetId, DeploymentRequest> running = new HashMap<>();
    /** Targets with a background probe in flight. */
    final Set<TargetId> probing = new HashSet<>();
    final Set<TargetId> suspended = new HashSet<>();
    /** Targets an operator asked to deploy now, even in sync; dropped once their deployment starts. */
    final Set<TargetId> forced = new HashSet<>();
    FleetControl fleetControl = FleetControl.RUNNING;
    /** The drift of every target as the last pass resolved it. */
    final Map<TargetId, Drift> drifts = new HashMap<>();
    /**
     * Exact mode: the revision the three maps below are about (the last pass's desired revision);
     * they are emptied when it moves, so a failed evaluation waits for a new revision.
     */
    String evaluatedRevision;
    /** Exact mode: evaluated desired paths at {@link #evaluatedRevision} (absent: not evaluated, running or failed). */
    final Map<TargetId, String> desiredPaths = new HashMap<>();
    /** Exact mode: targets whose evaluation at {@link #evaluatedRevision} runs now. */
    final Set<TargetId> evaluating = new HashSet<>();
    /** Exact mode: why the evaluation of a target at {@link #evaluatedRevision} failed. */
    final Map<TargetId, String> evaluationFailures = new HashMap<>();
    /** Exact mode: targets found running their evaluated path, recorded in the ledger at {@link #evaluatedRevision}. */
    final Set<TargetId> learned = new HashSet<>();
    /** In dry run, the revision each target was last reported at: reported once per revision. */
    final Map<TargetId, String> dryRunDone = new HashMap<>();
    /** The last deferral logged per target: logged again only when it changes. */
    final Map<TargetId, String> lastDeferral = new HashMap<>();
    /** Statuses from the previous run, shown until a pass has resolved the target. */
    final Map<TargetId, TargetState> restored = new HashMap<>();
    /**
     * The path each target ran before its last deployment that changed it (known since this start):
     * where {@code POST /api/v1/targets/{id}/rollback} goes back to.
     */
    final Map<TargetId, String> previousPaths = new HashMap<>();
    /** Operators' rollbacks waiting to start: the path to go back to. */
    final Map<TargetId, String> rollbacks = new HashMap<>();
    /** What a target's status adds about its last deployment at a revision (uncommitted generated files). */
    final Map<TargetId, DeploymentNote> notes = new HashMap<>();

    /** A note about the deployment of {@code revision}; shown while that revision is desired. */
    record DeploymentNote(String revision, String text) {
    }

    /** When the pending retry wake-up fires, or null. */
    Instant nextWakeupAt;
    /** The rollout of the desired revision: waves done, soaks, halt (null before the first pass planned). */
    RolloutProgress rollout;
    /** The waves of the inventory the rollout was last judged on (null before). */
    WaveAssignment rolloutWaves;
    /** Where the rollout stands as the last pass judged it (null before). */
    RolloutStatus rolloutStatus;
    /** Drifted (or forced) targets that wait for their wave, a halted rollout or a window, with why. */
    final Map<TargetId, Deferral> rolloutHolds = new HashMap<>();
    /** When the pending rollout wake-up (end of a soak, a window opening) fires, or null. */
    Instant rolloutWakeupAt;

    /** The last fetch: when, its result ({@code changed}, {@code unchanged}, {@code error}) and the error. */
    record FetchState(Instant at, String result, String error) {
        static final FetchState NONE = new FetchState(null, null, null);
    }

    /** The refusal shown in statuses and the API: a refused fetched revision first, else a refused inventory. */
    Stall shownStall() {
        return verificationStall != null ? verificationStall : stall;
    }

    /** Exact mode: forgets every evaluation unless it is about {@code revision}, which they are about from now on. */
    void evaluationsAt(String revision) {
        if (!revision.equals(evaluatedRevision)) {
            evaluatedRevision = revision;
            desiredPaths.clear();
            evaluating.clear();
            evaluationFailures.clear();
            learned.clear();
        }
    }

    /** A deployment of {@code revision} started on {@code id}: its wave has deployed (and soaks once done). */
    void rolloutStarted(TargetId id, String revision) {
        if (rollout != null && rolloutWaves != null && rollout.revision().equals(revision)) {
            rolloutWaves.indexOf(id).ifPresent(wave -> rollout = rollout.deployedIn(wave));
        }
    }

    /** Hosts with a deployment running now. */
    Set<String> busyHosts() {
        Set<String> busy = new HashSet<>();
        running.values().forEach(r -> busy.add(r.target().host().name()));
        return busy;
    }

    /** The targets of the current inventory (none before the first). */
    List<Target> targets() {
        return inventory == null ? List.of() : inventory.targets();
    }

    Optional<Target> target(TargetId id) {
        return inventory == null ? Optional.empty()
                : inventory.targets().stream().filter(t -> t.id().equals(id)).findFirst();
    }

    /** A ticket for a probe about to be sent. */
    long probeTicket() {
        return ++tickets;
    }

    /**
     * Takes a probe's observation unless it is stale: the target is deploying, or a deployment
     * ended or another observation arrived after the probe was sent. A probe that could not reach
     * the machine yields to a check-in that is still fresh (push mode: a laptop behind NAT).
     */
    void observe(Observation probed, long ticket, Instant now, Duration reportFreshFor) {
        TargetId id = probed.target();
        if (running.containsKey(id) || ticket <= observedAt.getOrDefault(id, 0L)) {
            return;
        }
        Observation report = reports.get(id);
        boolean reportFresh = report != null && report.at().plus(reportFreshFor).isAfter(now);
        observations.put(id, probed.reachable() || !reportFresh ? probed : report);
        observedAt.put(id, ticket);
    }

    /**
     * Takes what a deployment or a check-in says (null: the machine's state is unknown now): it is
     * newer than every probe sent so far.
     */
    void observeNow(TargetId id, Observation observation) {
        if (observation == null) {
            observations.remove(id);
        } else {
            observations.put(id, observation);
        }
        observedAt.put(id, ++tickets);
    }

    /** Forgets a target that left the inventory. */
    void forget(TargetId id) {
        observations.remove(id);
        reports.remove(id);
        observedAt.remove(id);
        retries.remove(id);
        forced.remove(id);
        previousPaths.remove(id);
        rollbacks.remove(id);
        notes.remove(id);
        drifts.remove(id);
        desiredPaths.remove(id);
        evaluationFailures.remove(id);
        learned.remove(id);
        dryRunDone.remove(id);
        lastDeferral.remove(id);
        restored.remove(id);
        rolloutHolds.remove(id);
    }
}
