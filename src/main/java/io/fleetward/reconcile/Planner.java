package io.fleetward.reconcile;

import io.fleetward.drift.Drift;
import io.fleetward.drift.DriftResolver;
import io.fleetward.drift.TargetStatus;
import io.fleetward.fleet.TargetId;
import io.fleetward.fleet.TargetKind;
import java.time.Duration;
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
 * targets), and when no parallelism slot is left. First attempts go before retries, then by target id.
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
            if (forced && (drift.status() == TargetStatus.UNREACHABLE || drift.status() == TargetStatus.UNKNOWN)) {
                deferred.add(new Deferral(id, "requested, but "
                        + (drift.status() == TargetStatus.UNREACHABLE ? "unreachable: " : "") + drift.reason()));
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
            } else {
                ready.add(candidate);
            }
        }
        input.forced().stream()
                .filter(id -> !drifts.containsKey(id))
                .forEach(id -> deferred.add(new Deferral(id, "not a target of the current inventory")));

        List<PlannedDeployment> deployments = new ArrayList<>();
        assignHosts(input, ready, deployments, deferred);
        deferred.sort(Comparator.comparing(Deferral::target));
        return new Plan(deployments, deferred);
    }

    /** Why a candidate may not run now regardless of the others, if so. */
    private static Optional<String> heldBack(PlanInput input, Candidate candidate, RetryState retry) {
        if (input.paused() && !candidate.forced()) {
            return Optional.of("fleet paused");
        }
        if (input.suspended().contains(candidate.target())) {
            return Optional.of("suspended");
        }
        if (retry == null || candidate.forced()) {
            // An operator's sync is the decision to try again now.
            return Optional.empty();
        }
        if (retry.gaveUp(input.maxAttempts())) {
            return Optional.of("gave up after " + retry.failures() + " attempts at "
                    + DriftResolver.shortRevision(retry.revision()) + "; waiting for a new revision");
        }
        if (retry.notBefore() != null && retry.notBefore().isAfter(input.now())) {
            return Optional.of("retry " + candidate.attempt() + " of " + input.maxAttempts() + " in "
                    + describe(Duration.between(input.now(), retry.notBefore())));
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
                wait = "another deployment on " + host + " is running";
            } else if (chosenByHost.containsKey(host)) {
                wait = "waiting for " + chosenByHost.get(host);
            } else if (id.kind() == TargetKind.HOME && readyIds.contains(system)) {
                wait = "waiting for " + system;
            } else if (deployments.size() >= input.freeSlots()) {
                wait = "parallelism limit reached";
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

    /** A wait rounded up to whole seconds: "20s", "1m30s", "2h". */
    private static String describe(Duration wait) {
        long seconds = (wait.toMillis() + 999) / 1000;
        StringBuilder text = new StringBuilder();
        if (seconds >= 3600) {
            text.append(seconds / 3600).append('h');
        }
        if (seconds % 3600 >= 60) {
            text.append(seconds % 3600 / 60).append('m');
        }
        if (seconds % 60 > 0 || text.isEmpty()) {
            text.append(seconds % 60).append('s');
        }
        return text.toString();
    }
}
