package io.fleetward.reconcile;

import io.fleetward.fleet.TargetId;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * What the loop reports to Prometheus. Labels are bounded: target ids, host names, kinds,
 * statuses and fetch results, never a revision, a path or error text. Every method does nothing by
 * default, so a test double overrides only what it records.
 */
public interface LoopMetrics {

    /** Replaces the one-hot {@code fleetward_target_status} series with these statuses (targets not listed vanish). */
    default void targetStatuses(Map<TargetId, TargetStatus> statuses) {
    }

    /** Counts a fetch; {@code result} is {@code changed}, {@code unchanged} or {@code error}. */
    default void sourceFetched(String result, Duration took, Instant at) {
    }

    /** Observes one reconcile pass. */
    default void reconciled(Duration took) {
    }

    /** Counts nothing: for plain unit tests and benchmarks. */
    LoopMetrics NOOP = new LoopMetrics() {
    };
}
