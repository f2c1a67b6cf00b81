package io.fleetward.drift;

import io.fleetward.fleet.TargetId;

/**
 * The verdict of drift resolution for one target.
 *
 * @param status           the verdict (the loop adds deploying, failed and suspended)
 * @param reason           one human sentence: "no relevant change since 3f2a1c0", "out-of-band change", ...
 * @param desiredRevision  the revision the target should be at
 * @param deployedRevision the revision it is known to be at, or null when unknown / out-of-band
 */
public record Drift(TargetId target, DriftStatus status, String reason, String desiredRevision,
                    String deployedRevision) {

    public boolean drifted() {
        return status == DriftStatus.DRIFTED;
    }
}
