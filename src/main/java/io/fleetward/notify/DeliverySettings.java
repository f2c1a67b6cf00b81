package io.fleetward.notify;

import java.time.Duration;

/**
 * How events are delivered, the same for every notifier.
 *
 * @param queueSize     events waiting per notifier before new ones are dropped
 * @param timeout       time limit of one request (connect and answer)
 * @param maxAttempts   attempts per event
 * @param retryDelay    wait before the second attempt, doubled for each further one (at most {@link #MAX_DELAY})
 * @param shutdownGrace at shutdown, how long queued events still get
 */
record DeliverySettings(int queueSize, Duration timeout, int maxAttempts, Duration retryDelay,
                        Duration shutdownGrace) {
    static final Duration MAX_DELAY = Duration.ofMinutes(5);

    /** The wait after failed attempt {@code attempt} (1 = the first). */
    Duration delayAfter(int attempt) {
        Duration delay = retryDelay;
        for (int i = 1; i < attempt && delay.compareTo(MAX_DELAY) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay;
    }
}
