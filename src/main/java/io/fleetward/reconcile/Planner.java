package io.fleetward.reconcile;

import io.fleetward.drift.Drift;
import io.fleetward.drift.DriftStatus;
import io.fleetward.fleet.TargetId;
import io.fleetward.fleet.TargetKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Chooses the deployments to start now. Pure and thread-safe.
 *
 * <p>Candidates are drifted targets and forced ones (any status but UNREACHABLE and UNKNOWN). A candidate
 * waits when the fleet is paused (unless forced), when it is suspended, while its revision is in backoff
 * or has used up its attempts (unless forced) (a retry state for another revision starts over at attempt 1), while its
 * host runs or is about to run another deployment (the system target goes before the host's home
 * targets), when the rollout holds it back (its wave, a halt or a maintenance window: {@link PlanInput#held}),
 * and when no parallelism slot is left. First attempts go before retries, then by target id.
 */
public final class Planner {
    private static final Comparator<Candidate> ORDER =
            Comparator.comparing((Candidate c) -> c.attempt() > 1).thenComparing(c -> c.drift().target());

    /** A target that needs a deployment, with the attempt number it would get. */
    private record Candidate(Drift drift, boolean forced, int attempt) {
        TargetId target() {
            return drift.target();
        }
    }

    public Plan plan(PlanInput input) {
        Map<TargetId, Drift> drifts = new TreeMap<>();
        input.drifts().forEach(drift -> drifts.put(drift.target(), drift));
        List<Deferral> deferred = new ArrayList<>();
        List<Candidate> ready = new ArrayList<>();
        for (Drift drift : drifts.values()) {
            TargetId id = drift.target();
            boolean forced = input.forced().contains(id);
            if (forced && (drift.status() == DriftStatus.UNREACHABLE || drift.status() == DriftStatus.UNKNOWN)) {
                deferred.add(new Deferral(id, StatusSummary.requestedButNotObserved(drift)));
                continue;
            }
            if (!forced && !drift.drifted()) {
                continue;
            }
            RetryState retry = input.retries().get(id);
            boolean retrying = retry != null && retry.appliesTo(drift.desiredRevision());
            Candidate candidate = new Candidate(drift, forced, retrying ? retry.failures() + 1 : 1);
            Optional<String> held = heldBack(input, candidate, retrying ? retry : null);
            if (held.isPresent()) {
                deferred.add(new Deferral(id, held.get()));
            } else if (input.held().containsKey(id)) {
                deferred.add(input.held().get(id));
            } else {
                ready.add(candidate);
            }
        }
        input.forced().stream()
                .filter(id -> !drifts.containsKey(id))
                .forEach(id -> deferred.add(new Deferral(id, StatusSummary.notInInventory())));

        List<PlannedDeployment> deployments = new ArrayList<>();
        assignHosts(input, ready, deployments, deferred);
        deferred.sort(Comparator.comparing(Deferral::target));
        return new Plan(deployments, deferred);
    }

    /** Why a candidate may not run now regardless of the others, if so. */
    private static Optional<String> heldBack(PlanInput input, Candidate candidate, RetryState retry) {
        if (input.paused() && !candidate.forced()) {
            return Optional.of(StatusSummary.fleetPaused());
        }
        if (input.suspended().contains(candidate.target())) {
            return Optional.of(StatusSummary.suspended());
        }
        if (retry == null || candidate.forced()) {
            // An operator's sync is the decision to try again now.
            return Optional.empty();
        }
        if (retry.gaveUp(input.maxAttempts())) {
            return Optional.of(StatusSummary.gaveUp(retry));
        }
        if (retry.notBefore() != null && retry.notBefore().isAfter(input.now())) {
            return Optional.of(StatusSummary.retryIn(candidate.attempt(), input.maxAttempts(), input.now(),
                    retry.notBefore()));
        }
        return Optional.empty();
    }

    /** Gives each host at most one deployment, system targets first, within the free slots. */
    private static void assignHosts(PlanInput input, List<Candidate> ready, List<PlannedDeployment> deployments,
                                    List<Deferral> deferred) {
        Set<TargetId> readyIds = new HashSet<>();
        ready.forEach(c -> readyIds.add(c.target()));
        ready.sort(ORDER);
        Map<String, TargetId> chosenByHost = new HashMap<>();
        for (Candidate candidate : ready) {
            TargetId id = candidate.target();
            String host = id.host();
            TargetId system = TargetId.system(host);
            String wait = null;
            if (input.busyHosts().contains(host)) {
                wait = StatusSummary.hostBusy(host);
            } else if (chosenByHost.containsKey(host)) {
                wait = StatusSummary.waitingFor(chosenByHost.get(host));
            } else if (id.kind() == TargetKind.HOME && readyIds.contains(system)) {
                wait = StatusSummary.waitingFor(system);
            } else if (deployments.size() >= input.freeSlots()) {
                wait = StatusSummary.parallelismReached();
            }
            if (wait != null) {
                deferred.add(new Deferral(id, wait));
                continue;
            }
            chosenByHost.put(host, id);
            Drift drift = candidate.drift();
            deployments.add(new PlannedDeployment(id, drift.desiredRevision(),
                    candidate.forced() ? "requested" : drift.reason(), candidate.attempt()));
        }
    }
}
