package io.fleetward.execute;

import io.fleetward.fleet.TargetKind;
import java.time.Duration;

/**
 * What deployments report to Prometheus. Labels are bounded: kinds and outcomes, never a revision,
 * a path or error text. Does nothing by default, so a test double overrides only what it records.
 */
public interface DeployMetrics {

    /** Counts a finished deployment and observes its duration. {@code outcome} is a DeploymentOutcome name. */
    default void deploymentFinished(TargetKind kind, String outcome, Duration duration) {
    }

    /** Counts nothing: for plain unit tests and benchmarks. */
    DeployMetrics NOOP = new DeployMetrics() {
    };
}
