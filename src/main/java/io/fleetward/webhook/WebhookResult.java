package io.fleetward.webhook;

/**
 * The body of every 2xx webhook answer.
 *
 * @param result accepted, ignored, duplicate, current or ping
 * @param reason why, in words
 */
public record WebhookResult(String result, String reason) {
}
