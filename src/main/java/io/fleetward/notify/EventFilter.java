package io.fleetward.notify;

import io.fleetward.reconcile.FleetEvent;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which events a notifier is sent: its kinds, and optionally only those of some hosts or of hosts
 * with some tags. An event without a target (a halted rollout, a refused revision) concerns every
 * host, so the host and tag filters let it through.
 *
 * @param kinds the kinds sent
 * @param hosts host names; empty: every host
 * @param tags  host tags, any of which lets an event through; empty: every host
 */
record EventFilter(Set<FleetEvent.Kind> kinds, Set<String> hosts, Set<String> tags) {
    EventFilter {
        kinds = kinds.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(kinds));
        hosts = Set.copyOf(hosts);
        tags = Set.copyOf(tags);
    }

    boolean accepts(FleetEvent event) {
        if (!kinds.contains(event.kind())) {
            return false;
        }
        if (event.target() == null) {
            return true;
        }
        return (hosts.isEmpty() || hosts.contains(event.host()))
                && (tags.isEmpty() || event.tags().stream().anyMatch(tags::contains));
    }
}
