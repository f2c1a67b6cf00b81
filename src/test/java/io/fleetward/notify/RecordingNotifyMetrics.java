package io.fleetward.notify;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts notifications by notifier and result, as {@code fleetward_notifications_total} would. */
final class RecordingNotifyMetrics implements NotifyMetrics {
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    @Override
    public void notifierConfigured(String notifier) {
        for (String result : new String[]{DELIVERED, FAILED, DROPPED}) {
            counts.computeIfAbsent(notifier + "/" + result, k -> new AtomicInteger());
        }
    }

    @Override
    public void notification(String notifier, String result) {
        counts.computeIfAbsent(notifier + "/" + result, k -> new AtomicInteger()).incrementAndGet();
    }

    int count(String notifier, String result) {
        AtomicInteger count = counts.get(notifier + "/" + result);
        return count == null ? -1 : count.get();
    }
}
