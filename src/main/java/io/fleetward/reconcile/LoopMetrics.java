package io.fleetward.reconcile;

import io.fleetward.fleet.TargetId;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * What the loop reports to Prometheus. Labels are bounded: target ids, host names, kinds,
 * statuses, fetch results and refusals, never a revision, a path or error text. Every method does nothing by
 * default, so a test double overrides only what it records.
 */
public interface LoopMetrics {

    /**
     * Sets each listed target's {@code fleetward_target_status} (one series per target, its value the
     * status code) and the {@code fleetward_targets} counts, in place; targets not listed vanish.
     */
    default void targetStatuses(Map<TargetId, TargetStatus> statuses) {
    }

    /** Counts a fetch; {@code result} is {@code changed}, {@code unchanged} or {@code error}. */
    default void sourceFetched(String result, Duration took, Instant at) {
    }

    /**
     * Sets the {@code fleetward_source_stalled} gauge: 1 while the newest revision is refused and the
     * loop stays on an older one, else 0. Called after every pass.
     */
    default void sourceStalled(boolean stalled) {
    }

    /** Counts a refused revision in {@code fleetward_source_refusals_total}; called once per refused revision. */
    default void sourceRefused(Refusal refusal) {
    }

    /** Observes one reconcile pass. */
    default void reconciled(Duration took) {
    }

    /** Counts nothing: for plain unit tests and benchmarks. */
    LoopMetrics NOOP = new LoopMetrics() {
    };
}
