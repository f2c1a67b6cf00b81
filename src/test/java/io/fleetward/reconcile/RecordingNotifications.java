package io.fleetward.reconcile;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The loop's notifications port, recording every event handed to it, in order. */
final class RecordingNotifications implements Notifications {
    private final List<FleetEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void post(FleetEvent event) {
        events.add(event);
    }

    List<FleetEvent> events() {
        return List.copyOf(events);
    }

    /** The events of one kind, in order. */
    List<FleetEvent> of(FleetEvent.Kind kind) {
        return events.stream().filter(e -> e.kind() == kind).toList();
    }

    /** The events about one target, in order. */
    List<FleetEvent> about(String target) {
        return events.stream().filter(e -> e.target() != null && e.target().toString().equals(target)).toList();
    }

    void clear() {
        events.clear();
    }
}
