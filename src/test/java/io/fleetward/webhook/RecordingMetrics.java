package io.fleetward.webhook;

import io.fleetward.drift.TargetStatus;
import io.fleetward.fleet.TargetId;
import io.fleetward.fleet.TargetKind;
import io.fleetward.metrics.FleetMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records the webhook counter increments as {@code provider/result}. */
final class RecordingMetrics implements FleetMetrics {

    final List<String> webhookRequests = new CopyOnWriteArrayList<>();

    @Override
    public void webhookRequest(String provider, String result) {
        webhookRequests.add(provider + "/" + result);
    }

    @Override
    public void targetStatuses(Map<TargetId, TargetStatus> statuses) {
    }

    @Override
    public void deploymentFinished(TargetKind kind, String outcome, Duration duration) {
    }

    @Override
    public void sourceFetched(String result, Duration took, Instant at) {
    }

    @Override
    public void reconciled(Duration took) {
    }
}
