package io.fleetward.reconcile;

import io.fleetward.drift.Drift;
import io.fleetward.drift.DriftStatus;
import io.fleetward.execute.DeploymentRequest;
import io.fleetward.fleet.CommitId;
import java.time.Duration;
import java.time.Instant;

/**
 * Writes every status and reason the loop adds to drift: deploying, suspended, paused, failed with
 * its retry, a stalled source, and why the plan holds a target back. Pure; the one place these
 * sentences are built, so the API, the plan, the metrics and the logs say the same thing.
 */
final class StatusSummary {
    private StatusSummary() {
    }

    /** The status a target shows and the one sentence that explains it. */
    record Shown(TargetStatus status, String reason) {
    }

    /**
     * The status shown for a drift, given what the loop knows beyond it, in this order: a running
     * deployment, a suspension, a paused fleet (for a drifted target not forced), failed attempts at
     * the desired revision. A stall keeps the status and adds itself to the reason
     * ({@link #stalled}).
     *
     * @param running the deployment running now, or null
     * @param retry   failed attempts of the target, or null
     * @param stall   the refused newer revision, or null
     */
    static Shown describe(Drift drift, DeploymentRequest running, boolean suspended, boolean pausedAndNotForced,
                          RetryState retry, Backoff backoff, Stall stall) {
        return describe(drift, running, suspended, pausedAndNotForced, retry, backoff, stall, null);
    }

    /**
     * Like the above; a drifted target that nothing else explains and the rollout holds back shows
     * the hold's reason ({@code held: wave servers waits for wave canary (2 of 3 done)}), still DRIFTED.
     *
     * @param held the rollout's hold of the target, or null
     */
    static Shown describe(Drift drift, DeploymentRequest running, boolean suspended, boolean pausedAndNotForced,
                          RetryState retry, Backoff backoff, Stall stall, Deferral held) {
        Shown shown = withoutStall(drift, running, suspended, pausedAndNotForced, retry, backoff);
        if (held != null && shown.status() == TargetStatus.DRIFTED && shown.reason().equals(drift.reason())) {
            shown = new Shown(TargetStatus.DRIFTED, held.reason());
        }
        return new Shown(shown.status(), stalled(shown.reason(), stall));
    }

    private static Shown withoutStall(Drift drift, DeploymentRequest running, boolean suspended,
                                      boolean pausedAndNotForced, RetryState retry, Backoff backoff) {
        if (running != null) {
            return new Shown(TargetStatus.DEPLOYING, deploying(running));
        }
        if (suspended) {
            return new Shown(TargetStatus.SUSPENDED, "suspended; " + drift.reason());
        }
        if (drift.drifted() && pausedAndNotForced) {
            return new Shown(TargetStatus.DRIFTED, "fleet paused; " + drift.reason());
        }
        // A failed rollback leaves the machine at the desired revision, unhealthy: it is not in sync.
        boolean rolledBackHere = retry != null && retry.rolledBack() && retry.appliesTo(drift.desiredRevision());
        if ((drift.drifted() || rolledBackHere) && retry != null && retry.appliesTo(drift.desiredRevision())) {
            String next = retry.gaveUp(backoff.maxAttempts()) ? gaveUp(retry)
                    : "retry " + (retry.failures() + 1) + " at " + retry.notBefore();
            return new Shown(TargetStatus.FAILED, retry.lastError() + "; " + next);
        }
        return new Shown(TargetStatus.of(drift.status()), drift.reason());
    }

    /**
     * A target's reason while the source is stalled: the reason, then the refused revision and why,
     * e.g. {@code at desired revision 1a2b3c4; newer revision 5d6e7f8 refused: fleetward.yaml:51: ...}.
     *
     * @param stall the refused newer revision, or null: then the reason as it is
     */
    static String stalled(String reason, Stall stall) {
        return stall == null ? reason
                : reason + "; newer revision " + CommitId.abbreviate(stall.revision()) + " refused: " + stall.reason();
    }

    /** Exact mode: the path rules call the target drifted; its evaluation at {@code revision} runs. */
    static String evaluating(String revision) {
        return "evaluating " + CommitId.abbreviate(revision);
    }

    /** Exact mode: the evaluation at {@code revision} failed; nothing is deployed until the revision moves. */
    static String evaluationFailed(String revision, String error) {
        return "evaluation at " + CommitId.abbreviate(revision) + " failed: " + error + "; waiting for a new revision";
    }

    static String notObservedYet() {
        return "not observed yet";
    }

    static String deploying(DeploymentRequest request) {
        return "deploying " + CommitId.abbreviate(request.revision()) + " (attempt " + request.attempt() + ")";
    }

    /** A deployment that runs now, as the plan shows it among what waits. */
    static String deployingNow(DeploymentRequest request) {
        return "deploying " + CommitId.abbreviate(request.revision()) + " now";
    }

    static String gaveUp(RetryState retry) {
        if (retry.rolledBack()) {
            return "not deployed at " + CommitId.abbreviate(retry.revision()) + " again; waiting for a new revision";
        }
        return "gave up after " + retry.failures() + " attempts at " + CommitId.abbreviate(retry.revision())
                + "; waiting for a new revision";
    }

    static String retryIn(int attempt, int maxAttempts, Instant now, Instant notBefore) {
        return "retry " + attempt + " of " + maxAttempts + " in " + wait(Duration.between(now, notBefore));
    }

    static String fleetPaused() {
        return "fleet paused";
    }

    static String suspended() {
        return "suspended";
    }

    static String requestedButNotObserved(Drift drift) {
        return "requested, but " + (drift.status() == DriftStatus.UNREACHABLE ? "unreachable: " : "")
                + drift.reason();
    }

    static String notInInventory() {
        return "not a target of the current inventory";
    }

    static String hostBusy(String host) {
        return "another deployment on " + host + " is running";
    }

    static String waitingFor(Object other) {
        return "waiting for " + other;
    }

    static String parallelismReached() {
        return "parallelism limit reached";
    }

    static String stoppedDuringDeployment() {
        return "fleetward stopped during the deployment";
    }

    /** A wait rounded up to whole seconds: "20s", "1m30s", "2h". */
    static String wait(Duration wait) {
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
