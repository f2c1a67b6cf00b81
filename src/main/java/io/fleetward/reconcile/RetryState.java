package io.fleetward.reconcile;

import io.fleetward.fleet.TargetId;
import java.time.Instant;

/**
 * Consecutive failed deployments of one target at one revision.
 *
 * @param revision      the revision that failed; a state for another revision does not hold a target back
 * @param failures      how many attempts at {@code revision} failed in a row
 * @param notBefore     the next attempt may start at this instant (when it gave up: the last failure)
 * @param lastError     why the last attempt failed (one line, no secrets)
 * @param lastTransient whether the last failure was transient (unreachable, checkout, store, timeout): those
 *                      back off but never give up; a failing deploy command gives up after its attempts
 * @param rolledBack    the target was rolled back from {@code revision} (its health gate failed, or an operator
 *                      asked): it is not deployed at that revision again, not even after a check-in
 */
public record RetryState(TargetId target, String revision, int failures, Instant notBefore, String lastError,
                         boolean lastTransient, boolean rolledBack) {

    public RetryState(TargetId target, String revision, int failures, Instant notBefore, String lastError,
                      boolean lastTransient) {
        this(target, revision, failures, notBefore, lastError, lastTransient, false);
    }

    /** The state after a rollback from {@code revision}: gives up at once, until the revision moves. */
    public static RetryState rolledBack(RetryState previous, TargetId target, String revision, String error,
                                        Instant now) {
        int failures = previous != null && previous.appliesTo(revision) ? previous.failures() + 1 : 1;
        return new RetryState(target, revision, failures, now, error, false, true);
    }

    /**
     * The state after another failed attempt at {@code revision}: counts on from {@code previous} when it
     * is for the same revision, else starts over at one failure.
     *
     * @param previous the state before this failure, or null when the target had none
     */
    public static RetryState afterFailure(RetryState previous, TargetId target, String revision, String error,
                                          boolean transientFailure, Instant now, Backoff backoff) {
        int failures = previous != null && previous.appliesTo(revision) ? previous.failures() + 1 : 1;
        Instant notBefore = transientFailure ? now.plus(backoff.delay(failures))
                : backoff.delayAfterFailures(failures).map(now::plus).orElse(now);
        return new RetryState(target, revision, failures, notBefore, error, transientFailure);
    }

    /**
     * The state after a deployment that could not start (its start could not even be recorded):
     * attempts stay as they were, and the next try waits only the initial delay.
     */
    public static RetryState notRun(RetryState previous, TargetId target, String revision, String error, Instant now,
                                    Backoff backoff) {
        int failures = previous != null && previous.appliesTo(revision) ? previous.failures() : 0;
        return new RetryState(target, revision, failures, now.plus(backoff.initial()), error, true);
    }

    /** Whether this state holds back deployments of {@code revision}. */
    public boolean appliesTo(String revision) {
        return this.revision.equals(revision);
    }

    /** Whether attempts at this revision are used up (only a failing deploy command uses them up). */
    public boolean gaveUp(int maxAttempts) {
        return rolledBack || !lastTransient && failures >= maxAttempts;
    }
}
