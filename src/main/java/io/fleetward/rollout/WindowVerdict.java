package io.fleetward.rollout;

import java.time.Instant;

/**
 * Whether maintenance windows let one host deploy at one instant.
 *
 * @param allowed     whether it may deploy now
 * @param reason      why not ({@code held: deny window "0 9 * * 1-5" open until 18:00 Europe/Berlin}); null when allowed
 * @param nextOpening when it may deploy next, or null when allowed now or no opening comes within a year
 */
public record WindowVerdict(boolean allowed, String reason, Instant nextOpening) {
    public static final WindowVerdict ALLOWED = new WindowVerdict(true, null, null);
}
