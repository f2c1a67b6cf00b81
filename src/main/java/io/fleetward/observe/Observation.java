package io.fleetward.observe;

import io.fleetward.fleet.TargetId;
import java.time.Instant;

/**
 * What a machine reported for one target at one moment. Immutable.
 *
 * @param currentPath           system path ({@code /run/current-system}) or home path (current-home)
 * @param bootedPath            {@code /run/booted-system} for system targets on NixOS, else null
 * @param configurationRevision the configurationRevision the machine reports, or null
 * @param unreachable           null when the probe succeeded; otherwise why the machine could not be observed
 */
public record Observation(TargetId target, Instant at, String currentPath, String bootedPath,
                          String configurationRevision, String unreachable) {

    public static Observation unreachable(TargetId target, Instant at, String reason) {
        return new Observation(target, at, null, null, null, reason);
    }

    public boolean reachable() {
        return unreachable == null;
    }
}
