package io.fleetward.api;

/**
 * What host check-ins report to Prometheus. Labels are bounded: results only, never a revision,
 * a path or error text. Does nothing by default, so a test double overrides only what it records.
 */
public interface CheckinMetrics {

    /** Counts a host check-in report; {@code result} is accepted, refused, malformed or too_large. */
    default void hostReport(String result) {
    }

    /** Counts nothing: for plain unit tests and benchmarks. */
    CheckinMetrics NOOP = new CheckinMetrics() {
    };
}
