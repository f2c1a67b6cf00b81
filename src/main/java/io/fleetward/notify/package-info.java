/**
 * Outgoing notifications: webhook (signed JSON), ntfy, Slack-style webhooks and forge commit
 * statuses. Implements the loop's {@link io.fleetward.reconcile.Notifications} port: the pass thread
 * hands an event over to a bounded queue per notifier, and a thread per notifier delivers it with a
 * time limit per request and retries with backoff; the loop never waits. Secrets (tokens, HMAC keys,
 * the secret parts of URLs) never appear in logs.
 */
package io.fleetward.notify;
