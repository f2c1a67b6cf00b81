package io.fleetward.reconcile;

import java.time.Duration;

/**
 * How the loop behaves.
 *
 * @param parallelism    at most this many deployments at once (never two on one host)
 * @param dryRun         plan, log and report every deployment once per revision, run none
 * @param shutdownGrace  on shutdown, running deployments get this long before they are interrupted
 * @param reportFreshFor a host's check-in stands in for its failed probes this long
 * @param backoff        retry delays and attempts of failed deployments
 * @param probeInterval  every host is probed once per this interval, spread evenly over it ({@link ProbeRounds})
 */
public record LoopSettings(int parallelism, boolean dryRun, Duration shutdownGrace, Duration reportFreshFor,
                           Backoff backoff, Duration probeInterval) {
    /** The default probe interval: {@code fleetward.probe.interval}'s default. */
    public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofMinutes(5);

    public LoopSettings {
        if (probeInterval == null || probeInterval.isNegative() || probeInterval.isZero()) {
            throw new IllegalArgumentException("the probe interval must be positive, got " + probeInterval);
        }
    }

    /** Settings with the default probe interval. */
    public LoopSettings(int parallelism, boolean dryRun, Duration shutdownGrace, Duration reportFreshFor,
                        Backoff backoff) {
        this(parallelism, dryRun, shutdownGrace, reportFreshFor, backoff, DEFAULT_PROBE_INTERVAL);
    }
}
