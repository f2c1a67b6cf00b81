package io.fleetward.fleet;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

/**
 * One entry of {@code windows:} in {@code fleetward.yaml}: a time span, starting at every start of
 * {@code schedule} in {@code timezone} and lasting {@code duration}, that allows or denies deployments
 * to the hosts it matches.
 *
 * @param line       the entry's line in the overlay, for logs
 * @param kind       allow or deny
 * @param tags       hosts with any of these tags match
 * @param hosts      these hosts match
 * @param manualSync whether an operator's sync overrides the window (default true)
 */
public record MaintenanceWindow(int line, Kind kind, CronSchedule schedule, Duration duration, List<String> tags,
                                List<String> hosts, ZoneId timezone, boolean manualSync) {
    /** Allow: deploy only while one is open. Deny: never while one is open (deny wins). */
    public enum Kind {
        ALLOW, DENY;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public MaintenanceWindow {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(timezone, "timezone");
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("a window lasts longer than zero");
        }
        tags = List.copyOf(tags);
        hosts = List.copyOf(hosts);
    }

    /** Whether the window applies to {@code host}: listed by name or by a tag; a window listing neither applies to all. */
    public boolean matches(Host host) {
        if (tags.isEmpty() && hosts.isEmpty()) {
            return true;
        }
        return hosts.contains(host.name()) || host.tags().stream().anyMatch(tags::contains);
    }
}
