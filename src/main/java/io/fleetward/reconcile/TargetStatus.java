package io.fleetward.reconcile;

import io.fleetward.drift.DriftStatus;

/** The one status a target is in; the API, logs and the one-hot metric all use these names. */
public enum TargetStatus {
    IN_SYNC, DRIFTED, DEPLOYING, FAILED, UNREACHABLE, UNKNOWN, SUSPENDED;

    /** The status of a drift verdict before the loop adds what it knows (same name). */
    static TargetStatus of(DriftStatus verdict) {
        return switch (verdict) {
            case IN_SYNC -> IN_SYNC;
            case DRIFTED -> DRIFTED;
            case UNREACHABLE -> UNREACHABLE;
            case UNKNOWN -> UNKNOWN;
        };
    }
}
