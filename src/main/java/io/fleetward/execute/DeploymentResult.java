package io.fleetward.execute;

import io.fleetward.observe.Observation;

/**
 * How one deployment ended.
 *
 * @param id       the deployment's row, or -1 when none could be written
 * @param exitCode the deploy command's exit status, or null when it did not run to an end
 * @param failure  what kind of failure it was ({@link Failure#NONE} unless FAILED or TIMED_OUT): it decides retry
 * @param after    the re-probe after the command, or null when none was made
 * @param note     something the target's status should say about this deployment until the revision moves
 *                 (files the deploy left uncommitted in the checkout), or null
 */
public record DeploymentResult(long id, DeploymentOutcome outcome, Integer exitCode, String reason, Observation after,
                               Failure failure, String note) {

    public DeploymentResult(long id, DeploymentOutcome outcome, Integer exitCode, String reason, Observation after,
                            Failure failure) {
        this(id, outcome, exitCode, reason, after, failure, null);
    }

    /** This result with {@code note} added to its reason and kept for the target's status. */
    public DeploymentResult withNote(String note) {
        return new DeploymentResult(id, outcome, exitCode, reason + "; " + note, after, failure, note);
    }
    /** No row was written for this deployment. */
    public static final long NO_ROW = -1;

    /** Why a deployment failed, as far as retrying it goes. */
    public enum Failure {
        NONE,
        /** The way to the machine or the controller's own state failed (unreachable, checkout, store, timeout): back off and retry. */
        TRANSIENT,
        /** The deploy command itself failed at this revision: retried a few times, then it waits for a new revision. */
        COMMAND,
        /**
         * The revision failed its health gate on this target (rolled back, or the rollback failed too), or an
         * operator rolled the target back: never retried at this revision, it waits for a new one.
         */
        ROLLED_BACK
    }

    public static DeploymentResult succeeded(long id, String reason, Observation after) {
        return new DeploymentResult(id, DeploymentOutcome.SUCCEEDED, 0, reason, after, Failure.NONE);
    }

    /** The command exited 0 and the machine already ran the path it reports now. */
    public static DeploymentResult unchanged(long id, String reason, Observation after) {
        return new DeploymentResult(id, DeploymentOutcome.UNCHANGED, 0, reason, after, Failure.NONE);
    }

    public static DeploymentResult transientFailure(long id, Integer exitCode, String reason, Observation after) {
        return new DeploymentResult(id, DeploymentOutcome.FAILED, exitCode, reason, after, Failure.TRANSIENT);
    }

    public static DeploymentResult commandFailure(long id, int exitCode, String reason) {
        return new DeploymentResult(id, DeploymentOutcome.FAILED, exitCode, reason, null, Failure.COMMAND);
    }

    public static DeploymentResult timedOut(long id, String reason) {
        return new DeploymentResult(id, DeploymentOutcome.TIMED_OUT, null, reason, null, Failure.TRANSIENT);
    }

    public static DeploymentResult interrupted(long id, Integer exitCode, String reason) {
        return new DeploymentResult(id, DeploymentOutcome.INTERRUPTED, exitCode, reason, null, Failure.NONE);
    }

    /** The target was rolled back to the path it ran before; {@code after} shows it there. */
    public static DeploymentResult rolledBack(long id, String reason, Observation after) {
        return new DeploymentResult(id, DeploymentOutcome.ROLLED_BACK, 0, reason, after, Failure.ROLLED_BACK);
    }

    /** The health gate failed and the rollback did not bring the machine back: a person must look. */
    public static DeploymentResult rollbackFailed(long id, String reason, Observation after) {
        return new DeploymentResult(id, DeploymentOutcome.FAILED, 0, reason, after, Failure.ROLLED_BACK);
    }

    public static DeploymentResult dryRun(long id) {
        return new DeploymentResult(id, DeploymentOutcome.DRY_RUN, null, "dry run: command not run", null,
                Failure.NONE);
    }

    /** Whether the target now runs the desired revision's configuration (deployed now or already before). */
    public boolean converged() {
        return outcome == DeploymentOutcome.SUCCEEDED || outcome == DeploymentOutcome.UNCHANGED;
    }
}
