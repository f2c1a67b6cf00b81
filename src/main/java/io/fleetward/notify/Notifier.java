package io.fleetward.notify;

import io.fleetward.config.NotifyConfig;

/**
 * One configured notifier.
 *
 * @param name      its name in {@code fleetward.notify.<name>.*} (the metric label)
 * @param type      what it sends
 * @param filter    which events it is sent
 * @param channel   how it is told
 * @param redaction what of it may be logged
 */
record Notifier(String name, NotifyConfig.Type type, EventFilter filter, Channel channel, Redaction redaction) {
}
