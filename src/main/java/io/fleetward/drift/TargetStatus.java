package io.fleetward.drift;

/** The one status a target is in; the API, logs and the one-hot metric all use these names. */
public enum TargetStatus {
    IN_SYNC, DRIFTED, DEPLOYING, FAILED, UNREACHABLE, UNKNOWN, SUSPENDED
}
