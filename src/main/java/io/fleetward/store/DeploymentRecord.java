package io.fleetward.store;

import io.fleetward.execute.DeploymentOutcome;
import io.fleetward.fleet.TargetId;
import java.time.Instant;
import java.util.Objects;

/**
 * One deployment as stored. {@code endedAt}, {@code exitCode}, {@code reason}, {@code logFile} and
 * {@code logTail} are null while they are unknown (a running deployment has no end).
 */
public record DeploymentRecord(
        long id,
        TargetId target,
        String revision,
        String trigger,
        Instant startedAt,
        Instant endedAt,
        DeploymentOutcome outcome,
        Integer exitCode,
        String reason,
        String logFile,
        String logTail) {

    public DeploymentRecord {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(revision, "revision");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(outcome, "outcome");
    }
}
