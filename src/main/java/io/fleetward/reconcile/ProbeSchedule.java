package io.fleetward.reconcile;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeSet;

/**
 * When each host is probed next: once per interval, the hosts spread evenly over it, so that a
 * thousand hosts never probe in one burst. Hosts that join get the free places of the spread by
 * name; hosts already scheduled keep their time. Pure and single-threaded (the pass thread owns it).
 */
final class ProbeSchedule {
    /** Ticks are at least this far apart: hosts due closer together are probed in one tick. */
    static final Duration MIN_TICK = Duration.ofSeconds(1);

    private record Slot(String host, Instant due) {
    }

    private final Duration interval;
    private final PriorityQueue<Slot> queue = new PriorityQueue<>(Comparator.comparing(Slot::due)
            .thenComparing(Slot::host));
    private final Map<String, Instant> dueAt = new HashMap<>();

    ProbeSchedule(Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("probe interval must be positive: " + interval);
        }
        this.interval = interval;
    }

    /**
     * Takes the current hosts: hosts that left are dropped; new ones are placed at {@code now +
     * interval * i / n}, {@code i} their place among all hosts sorted by name, {@code n} their count.
     */
    void hosts(Collection<String> hosts, Instant now) {
        TreeSet<String> sorted = new TreeSet<>(hosts);
        dueAt.keySet().retainAll(sorted);
        queue.removeIf(slot -> !sorted.contains(slot.host()));
        int n = sorted.size();
        int i = 0;
        long nanos = interval.toNanos();
        for (String host : sorted) {
            if (!dueAt.containsKey(host)) {
                Instant due = now.plusNanos(Math.multiplyExact(nanos, (long) i) / n);
                dueAt.put(host, due);
                queue.add(new Slot(host, due));
            }
            i++;
        }
    }

    /** The hosts due at {@code now}, earliest first; each is scheduled again one interval later. */
    List<String> due(Instant now) {
        List<String> due = new ArrayList<>();
        while (!queue.isEmpty() && !queue.peek().due().isAfter(now)) {
            Slot slot = queue.poll();
            due.add(slot.host());
            Instant next = slot.due().plus(interval);
            if (!next.isAfter(now)) {
                next = now.plus(interval); // the loop was held up for a whole interval: no catching up in a burst
            }
            dueAt.put(slot.host(), next);
            queue.add(new Slot(slot.host(), next));
        }
        return due;
    }

    /** How long until the next tick: until the next host is due, at least {@link #MIN_TICK}. */
    Duration untilNext(Instant now) {
        Slot next = queue.peek();
        if (next == null) {
            return interval.compareTo(Duration.ofSeconds(5)) < 0 ? interval : Duration.ofSeconds(5);
        }
        Duration wait = Duration.between(now, next.due());
        return wait.compareTo(MIN_TICK) < 0 ? MIN_TICK : wait;
    }

    /** When {@code host} is probed next, or null when it is not scheduled. */
    Instant dueAt(String host) {
        return dueAt.get(host);
    }

    int size() {
        return dueAt.size();
    }
}
