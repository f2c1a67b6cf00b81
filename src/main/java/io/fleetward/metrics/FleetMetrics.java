package io.fleetward.metrics;

import io.fleetward.drift.TargetStatus;
import io.fleetward.fleet.TargetId;
import io.fleetward.fleet.TargetKind;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * What fleetward reports to Prometheus. Labels are bounded: target ids, host names, kinds,
 * statuses and outcomes, never a revision, a path or error text. Every method does nothing by
 * default, so a test double overrides only what it records.
 */
public interface FleetMetrics {

    /** Replaces the one-hot {@code fleetward_target_status} series with these statuses (targets not listed vanish). */
    default void targetStatuses(Map<TargetId, TargetStatus> statuses) {
    }

    /** Counts a finished deployment and observes its duration. {@code outcome} is a DeploymentOutcome name. */
    default void deploymentFinished(TargetKind kind, String outcome, Duration duration) {
    }

    /** Counts a fetch; {@code result} is {@code changed}, {@code unchanged} or {@code error}. */
    default void sourceFetched(String result, Duration took, Instant at) {
    }

    /** Observes one reconcile pass. */
    default void reconciled(Duration took) {
    }

    /** Counts a webhook request; {@code result} is accepted, ignored, duplicate, unauthorized, malformed, too_large, disabled. */
    default void webhookRequest(String provider, String result) {
    }

    /** Counts a host check-in report; {@code result} is accepted, refused or malformed. */
    default void hostReport(String result) {
    }

    /** Counts an SSH connection attempt; {@code result} is ok, host_key_refused, auth_failed or unreachable. */
    default void sshConnect(String result) {
    }

    /** Sets the number of pooled SSH sessions that are open now. */
    default void sshSessionsOpen(int open) {
    }

    /** Counts nothing: for plain unit tests and benchmarks. */
    FleetMetrics NOOP = new FleetMetrics() {
    };
}
