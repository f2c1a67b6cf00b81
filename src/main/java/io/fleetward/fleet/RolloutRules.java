package io.fleetward.fleet;

import java.time.Duration;
import java.util.List;

/**
 * The repository's rollout policy: the {@code rollout:} and {@code windows:} sections of
 * {@code fleetward.yaml}, validated when the overlay is read.
 *
 * @param waves         the waves in order; empty: one wave holding every host (behaviour without a section)
 * @param soak          how long a wave that deployed must stay done before the next starts
 * @param haltOnFailure whether a failed deployment of a revision stops its rollout (default true within a
 *                      {@code rollout:} section; false without one, so a fleet without it behaves as before)
 * @param windows       maintenance windows, in document order
 */
public record RolloutRules(List<Wave> waves, Duration soak, boolean haltOnFailure, List<MaintenanceWindow> windows) {
    /** No {@code rollout:} and no {@code windows:} section. */
    public static final RolloutRules NONE = new RolloutRules(List.of(), Duration.ZERO, false, List.of());

    /**
     * One wave: the hosts with any of {@code tags}, or with none every host not in an earlier wave.
     *
     * @param line the wave's line in the overlay
     */
    public record Wave(String name, List<String> tags, int line) {
        public Wave {
            tags = List.copyOf(tags);
        }

        /** Whether {@code host} belongs here (when no earlier wave took it). */
        public boolean matches(Host host) {
            return tags.isEmpty() || host.tags().stream().anyMatch(tags::contains);
        }
    }

    public RolloutRules {
        waves = List.copyOf(waves);
        windows = List.copyOf(windows);
        if (soak == null || soak.isNegative()) {
            throw new IllegalArgumentException("soak is zero or more");
        }
    }
}
