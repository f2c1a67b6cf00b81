package io.fleetward.reconcile;

import java.time.Instant;
import java.util.Objects;

/**
 * The newest revision was refused, so the loop stays on the last revision it accepted. Set in
 * {@link FleetState} by the step that refuses, cleared when a newer revision is accepted; every
 * target's reason, the API, the metrics and the log show it.
 *
 * @param revision the refused revision
 * @param refusal  what refused it (a bounded kind, the metric label)
 * @param reason   why, one line, e.g. {@code fleetward.yaml:51: malformed YAML}
 * @param retryAt  for a failure that may pass (an inventory command that failed or timed out): when the
 *                 revision is read again; null when the revision itself is wrong
 */
record Stall(String revision, Refusal refusal, String reason, Instant retryAt) {
    Stall {
        Objects.requireNonNull(revision, "revision");
        Objects.requireNonNull(refusal, "refusal");
        Objects.requireNonNull(reason, "reason");
    }

    /** Whether the loop refused this revision for this and should not read it again now. */
    boolean refused(String revision, Refusal refusal, Instant now) {
        return this.refusal == refusal && this.revision.equals(revision) && (retryAt == null || now.isBefore(retryAt));
    }

    /** Whether {@code other} is the same refusal (a retried read that failed again is not a new one). */
    boolean sameRefusal(Stall other) {
        return other != null && refusal == other.refusal && revision.equals(other.revision)
                && reason.equals(other.reason);
    }
}
