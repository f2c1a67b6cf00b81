package io.fleetward.notify;

/**
 * What notifications report to Prometheus ({@code fleetward_notifications_total}). Labels are
 * bounded: the configured notifier names and a result ({@code delivered}, {@code failed},
 * {@code dropped}), never a URL, a target or error text. Does nothing by default.
 */
public interface NotifyMetrics {

    /** Results a notification ends with. */
    String DELIVERED = "delivered";
    /** Tried, and given up (attempts used up, refused by the receiver, or cut short by a shutdown). */
    String FAILED = "failed";
    /** Never tried: the notifier's queue was full, or fleetward was shutting down. */
    String DROPPED = "dropped";

    /** A notifier exists: its series start at 0, so that {@code increase()} sees the first one. */
    default void notifierConfigured(String notifier) {
    }

    /** Counts one event's delivery to one notifier, by result. */
    default void notification(String notifier, String result) {
    }

    /** Counts nothing: for plain unit tests. */
    NotifyMetrics NOOP = new NotifyMetrics() {
    };
}
