package io.fleetward.webhook;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records the webhook counter increments as {@code provider/result}. */
final class RecordingMetrics implements WebhookMetrics {

    final List<String> webhookRequests = new CopyOnWriteArrayList<>();

    @Override
    public void webhookRequest(String provider, String result) {
        webhookRequests.add(provider + "/" + result);
    }
}
