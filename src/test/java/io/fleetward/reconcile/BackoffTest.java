package io.fleetward.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import io.fleetward.fleet.TargetId;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BackoffTest {
    private static final Backoff CAPPED = new Backoff(Duration.ofSeconds(5), 2, Duration.ofSeconds(15), 10);
    private static final Backoff ENDLESS = new Backoff(Duration.ofSeconds(5), 2, Duration.ofMinutes(5), 10_000);

    static Stream<Arguments> delays() {
        return Stream.of(
                argumentSet("no failure, no wait", Backoff.defaults(), 0, Optional.of(Duration.ZERO)),
                argumentSet("after 1 failure: initial", Backoff.defaults(), 1, Optional.of(Duration.ofSeconds(5))),
                argumentSet("after 2 failures: doubled", Backoff.defaults(), 2, Optional.of(Duration.ofSeconds(10))),
                argumentSet("after 3 failures", Backoff.defaults(), 3, Optional.of(Duration.ofSeconds(20))),
                argumentSet("after 4 failures", Backoff.defaults(), 4, Optional.of(Duration.ofSeconds(40))),
                argumentSet("after 5 failures: gives up", Backoff.defaults(), 5, Optional.empty()),
                argumentSet("after 6 failures: still given up", Backoff.defaults(), 6, Optional.empty()),
                argumentSet("below the cap", CAPPED, 2, Optional.of(Duration.ofSeconds(10))),
                argumentSet("capped at max", CAPPED, 3, Optional.of(Duration.ofSeconds(15))),
                argumentSet("stays capped", CAPPED, 9, Optional.of(Duration.ofSeconds(15))),
                argumentSet("huge failure counts saturate at max", ENDLESS, 5_000, Optional.of(Duration.ofMinutes(5))),
                argumentSet("fractional multiplier", new Backoff(Duration.ofSeconds(10), 1.5, Duration.ofMinutes(1), 5),
                        2, Optional.of(Duration.ofSeconds(15))));
    }

    @ParameterizedTest
    @MethodSource("delays")
    void waitsLongerAfterEachFailureThenGivesUp(Backoff backoff, int failures, Optional<Duration> expected) {
        assertEquals(expected, backoff.delayAfterFailures(failures));
    }

    static Stream<Arguments> invalidSettings() {
        return Stream.of(
                argumentSet("zero initial delay", Duration.ZERO, 2.0, Duration.ofMinutes(5), 5),
                argumentSet("multiplier below 1", Duration.ofSeconds(5), 0.5, Duration.ofMinutes(5), 5),
                argumentSet("multiplier NaN", Duration.ofSeconds(5), Double.NaN, Duration.ofMinutes(5), 5),
                argumentSet("max below initial", Duration.ofSeconds(5), 2.0, Duration.ofSeconds(1), 5),
                argumentSet("no attempts", Duration.ofSeconds(5), 2.0, Duration.ofMinutes(5), 0));
    }

    @ParameterizedTest
    @MethodSource("invalidSettings")
    void refusesInvalidSettings(Duration initial, double multiplier, Duration max, int maxAttempts) {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(initial, multiplier, max, maxAttempts));
    }

    @Nested
    class RetryStateAfterFailure {
        private static final TargetId WEB1 = TargetId.system("web1");
        private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");
        private static final String REV_A = "a".repeat(40);
        private static final String REV_B = "b".repeat(40);

        static Stream<Arguments> failures() {
            return Stream.of(
                    argumentSet("first failure waits the initial delay", null, REV_A,
                            new RetryState(WEB1, REV_A, 1, NOW.plusSeconds(5), "boom", false)),
                    argumentSet("another failure at the same revision counts on",
                            new RetryState(WEB1, REV_A, 2, NOW.minusSeconds(1), "earlier", false), REV_A,
                            new RetryState(WEB1, REV_A, 3, NOW.plusSeconds(20), "boom", false)),
                    argumentSet("a failure at a new revision starts over",
                            new RetryState(WEB1, REV_A, 4, NOW.minusSeconds(1), "earlier", false), REV_B,
                            new RetryState(WEB1, REV_B, 1, NOW.plusSeconds(5), "boom", false)),
                    argumentSet("the last attempt gives up: no wait is scheduled",
                            new RetryState(WEB1, REV_A, 4, NOW.minusSeconds(1), "earlier", false), REV_A,
                            new RetryState(WEB1, REV_A, 5, NOW, "boom", false)));
        }

        @ParameterizedTest
        @MethodSource("failures")
        void countsFailuresPerRevision(RetryState previous, String revision, RetryState expected) {
            assertEquals(expected, RetryState.afterFailure(previous, WEB1, revision, "boom", false, NOW,
                    Backoff.defaults()));
            assertEquals(expected.failures() >= 5, expected.gaveUp(Backoff.defaults().maxAttempts()));
        }

        static Stream<Arguments> transientFailures() {
            return Stream.of(
                    argumentSet("first transient failure waits the initial delay", null, NOW.plusSeconds(5)),
                    argumentSet("the fifth waits 80s and does not give up",
                            new RetryState(WEB1, REV_A, 4, NOW.minusSeconds(1), "earlier", true), NOW.plusSeconds(80)),
                    argumentSet("after many, the wait stays at the maximum",
                            new RetryState(WEB1, REV_A, 40, NOW.minusSeconds(1), "earlier", true),
                            NOW.plus(Duration.ofMinutes(5))));
        }

        @ParameterizedTest
        @MethodSource("transientFailures")
        void transientFailuresBackOffButNeverGiveUp(RetryState previous, Instant notBefore) {
            RetryState next = RetryState.afterFailure(previous, WEB1, REV_A, "unreachable", true, NOW,
                    Backoff.defaults());
            assertEquals(notBefore, next.notBefore());
            assertEquals(false, next.gaveUp(Backoff.defaults().maxAttempts()));
        }
    }
}
