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

    /** Counts one health check after a verified deploy. {@code result}: {@code passed} or {@code failed}. */
    default void healthCheck(TargetKind kind, String result) {
    }

    /** Counts one rollback. {@code result}: {@code succeeded} or {@code failed}. */
    default void rollback(TargetKind kind, String result) {
    }

    /** Counts files a deploy command left new or modified in the checkout (generated vars, sops files). */
    default void uncommittedGeneratedFiles(int count) {
    }

    /** Counts nothing: for plain unit tests and benchmarks. */
    DeployMetrics NOOP = new DeployMetrics() {
    };
}
