package io.fleetward.webhook;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * How the receivers behave.
 *
 * @param maxBody largest body read, in bytes; a larger one is refused unread
 * @param branch  the tracked branch; only pushes to {@code refs/heads/<branch>} trigger a fetch
 * @param secrets each enabled provider's shared secret; a provider without one is disabled
 */
public record WebhookSettings(int maxBody, String branch, Map<Provider, String> secrets) {

    /** Far above any push payload, and low enough that {@code maxBody + 1} bytes always fit an array. */
    public static final int MAX_BODY_LIMIT = 64 * 1024 * 1024;

    public WebhookSettings {
        if (maxBody < 1 || maxBody > MAX_BODY_LIMIT) {
            throw new IllegalArgumentException("max body must be from 1 to " + MAX_BODY_LIMIT + " bytes");
        }
        Objects.requireNonNull(branch, "branch");
        secrets = secrets.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(secrets));
    }

    /** Never shows the secrets. */
    @Override
    public String toString() {
        return "WebhookSettings[maxBody=" + maxBody + ", branch=" + branch + ", enabled=" + secrets.keySet() + "]";
    }
}
