package io.fleetward.reconcile;

import java.time.Duration;
import java.util.Optional;

/**
 * How long a target waits after failed deployments of one revision: {@code initial}, then
 * {@code multiplier} times longer per failure, at most {@code max}; after {@code maxAttempts}
 * failures it gives up until the desired revision moves.
 */
public record Backoff(Duration initial, double multiplier, Duration max, int maxAttempts) {

    public Backoff {
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("the initial retry delay must be positive");
        }
        if (!(multiplier >= 1)) {
            throw new IllegalArgumentException("the retry multiplier must be at least 1");
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("the maximum retry delay must not be shorter than the initial one");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("max attempts must be at least 1");
        }
    }

    /** 5 s, doubling, at most 5 min, 5 attempts (the configuration defaults). */
    public static Backoff defaults() {
        return new Backoff(Duration.ofSeconds(5), 2, Duration.ofMinutes(5), 5);
    }

    /**
     * The wait before the next attempt after {@code failures} consecutive failures at one revision;
     * empty once {@code maxAttempts} attempts have failed (give up). No failures, no wait.
     */
    public Optional<Duration> delayAfterFailures(int failures) {
        return failures >= maxAttempts ? Optional.empty() : Optional.of(delay(failures));
    }

    /** The wait after {@code failures} consecutive failures, without giving up: growing, at most {@code max}. */
    public Duration delay(int failures) {
        if (failures < 1) {
            return Duration.ZERO;
        }
        // In floating point, so a large failure count saturates at max instead of overflowing.
        double nanos = initial.toNanos() * Math.pow(multiplier, failures - 1);
        return nanos >= max.toNanos() ? max : Duration.ofNanos((long) nanos);
    }
}
