package io.fleetward.reconcile;

import io.fleetward.fleet.TargetId;
import java.time.Instant;
import java.util.Objects;

/**
 * The last known status of one target, as kept across restarts. Revisions, paths, the reason and
 * {@code lastProbeAt} are null while unknown.
 */
public record TargetState(
        TargetId target,
        TargetStatus status,
        String reason,
        String desiredRevision,
        String deployedRevision,
        String currentPath,
        String bootedPath,
        Instant lastProbeAt,
        boolean suspended,
        Instant updatedAt) {

    public TargetState {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
