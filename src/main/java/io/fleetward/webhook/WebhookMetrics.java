package io.fleetward.webhook;

/**
 * What the webhook receivers report to Prometheus. Labels are bounded: providers and results, never
 * a revision, a path or error text. Does nothing by default, so a test double overrides only what
 * it records.
 */
public interface WebhookMetrics {

    /** Counts a webhook request; {@code result} is accepted, ignored, duplicate, unauthorized, malformed, too_large, disabled. */
    default void webhookRequest(String provider, String result) {
    }

    /** Counts nothing: for plain unit tests and benchmarks. */
    WebhookMetrics NOOP = new WebhookMetrics() {
    };
}
