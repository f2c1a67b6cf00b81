package io.fleetward.reconcile;

import io.fleetward.fleet.Target;
import io.fleetward.observe.Observation;
import java.time.Instant;

/**
 * The status of one target, summarised in one place: the API, the metrics and the logs all read
 * this record.
 *
 * @param observation the last observation, or null when the target was not probed since start-up
 */
public record TargetView(Target target, TargetStatus status, String reason, String desiredRevision,
                         String deployedRevision, Observation observation, boolean suspended, Instant updatedAt) {
}
