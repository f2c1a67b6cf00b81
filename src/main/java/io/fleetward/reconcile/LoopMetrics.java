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

    /**
     * Counts a decision of the source checks on a newly fetched revision in
     * {@code fleetward_source_verification_total}: {@code good}, {@code unsigned}, {@code untrusted},
     * {@code bad} or {@code not-a-descendant}; once per revision and result, not per pass.
     */
    default void sourceVerified(String result) {
    }

    /** Observes one reconcile pass. */
    default void reconciled(Duration took) {
    }

    /**
     * Sets the rollout gauges after each pass that planned: {@code fleetward_rollout_wave} (the 1-based
     * index of the last wave that started for the desired revision) and {@code fleetward_rollout_halted}
     * (1 while that rollout is halted, else 0).
     */
    default void rollout(int runningWave, boolean halted) {
    }

    /** Counts nothing: for plain unit tests and benchmarks. */
    LoopMetrics NOOP = new LoopMetrics() {
    };
}
