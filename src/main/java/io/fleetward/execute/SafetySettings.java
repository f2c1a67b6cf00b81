package io.fleetward.execute;

import java.time.Duration;

/**
 * @param healthTimeout  all health checks of one deployment together end within this
 * @param confirmTimeout the dead man's switch rolls the host back this long after its system changed, unless disarmed
 */
public record SafetySettings(Duration healthTimeout, Duration confirmTimeout) {
    public SafetySettings {
        if (healthTimeout.isNegative() || healthTimeout.isZero() || confirmTimeout.isNegative() || confirmTimeout.isZero()) {
            throw new IllegalArgumentException("health and confirm timeouts must be positive");
        }
    }
}
