package io.fleetward.drift;

/**
 * What drift resolution can decide about a target. The loop adds the statuses only it knows
 * (deploying, failed, suspended) and shows these under the same names.
 */
public enum DriftStatus {
    IN_SYNC, DRIFTED, UNREACHABLE, UNKNOWN
}
