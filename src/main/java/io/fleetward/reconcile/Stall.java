package io.fleetward.reconcile;

import java.util.Objects;

/**
 * The newest revision was refused, so the loop stays on the last revision it accepted. Set in
 * {@link FleetState} by the step that refuses, cleared when a newer revision is accepted; every
 * target's reason, the API, the metrics and the log show it.
 *
 * @param revision the refused revision
 * @param refusal  what refused it (a bounded kind, the metric label)
 * @param reason   why, one line, e.g. {@code fleetward.yaml:51: malformed YAML}
 */
record Stall(String revision, Refusal refusal, String reason) {
    Stall {
        Objects.requireNonNull(revision, "revision");
        Objects.requireNonNull(refusal, "refusal");
        Objects.requireNonNull(reason, "reason");
    }

    /** Whether the loop already refused this revision for this. */
    boolean refused(String revision, Refusal refusal) {
        return this.refusal == refusal && this.revision.equals(revision);
    }
}
