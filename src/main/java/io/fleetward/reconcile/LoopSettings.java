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
 */
public record LoopSettings(int parallelism, boolean dryRun, Duration shutdownGrace, Duration reportFreshFor,
                           Backoff backoff) {
}
