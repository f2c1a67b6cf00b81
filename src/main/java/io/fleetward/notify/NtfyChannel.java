package io.fleetward.notify;

import io.fleetward.reconcile.FleetEvent;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A message to an ntfy topic: POST to the topic URL with the line as the body, a {@code Title},
 * a {@code Priority} by kind (failures high, a halt or a refused source urgent) and {@code Tags}
 * that ntfy shows as emoji. An access token, when set, goes in {@code Authorization: Bearer}.
 */
final class NtfyChannel implements Channel {
    private final URI topic;
    private final Optional<String> token;

    NtfyChannel(URI topic, Optional<String> token) {
        this.topic = topic;
        this.token = token;
    }

    @Override
    public Optional<HttpCall> call(FleetEvent event) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "text/plain; charset=utf-8");
        headers.put("Title", "fleetward " + EventText.title(event));
        headers.put("Priority", Integer.toString(priority(event.kind())));
        headers.put("Tags", tag(event.kind()));
        token.ifPresent(t -> headers.put("Authorization", "Bearer " + t));
        return Optional.of(new HttpCall(topic, headers, EventText.utf8(EventText.line(event))));
    }

    /** ntfy's priorities: 1 min, 2 low, 3 default, 4 high, 5 urgent. */
    static int priority(FleetEvent.Kind kind) {
        return switch (kind) {
            case DEPLOYMENT_STARTED -> 2;
            case DEPLOYMENT_SUCCEEDED, OUT_OF_BAND_CHANGE -> 3;
            case DEPLOYMENT_FAILED, ROLLED_BACK, TARGET_UNREACHABLE -> 4;
            case ROLLOUT_HALTED, SOURCE_VERIFICATION_FAILED -> 5;
        };
    }

    /** An emoji short code ntfy shows before the title. */
    private static String tag(FleetEvent.Kind kind) {
        return switch (kind) {
            case DEPLOYMENT_STARTED -> "rocket";
            case DEPLOYMENT_SUCCEEDED -> "white_check_mark";
            case DEPLOYMENT_FAILED, ROLLED_BACK -> "x";
            case TARGET_UNREACHABLE -> "electric_plug";
            case OUT_OF_BAND_CHANGE -> "warning";
            case ROLLOUT_HALTED, SOURCE_VERIFICATION_FAILED -> "rotating_light";
        };
    }
}
