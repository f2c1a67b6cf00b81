package io.fleetward.rollout;

import io.fleetward.fleet.Host;
import io.fleetward.fleet.MaintenanceWindow;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Maintenance windows, by Argo CD's sync-window rules. Pure.
 * <ul>
 *   <li>A host no window matches may always deploy.</li>
 *   <li>With matching allow windows it may deploy only while one of them is open.</li>
 *   <li>An open matching deny window forbids it, whatever allow windows say (deny wins).</li>
 *   <li>An operator's sync ignores every window that keeps {@code manual-sync: true} (the default).</li>
 * </ul>
 * A window opens at each start of its cron schedule, read in its own time zone, and stays open for
 * its duration of elapsed time (so across a DST change it still lasts exactly that long).
 */
public final class WindowRules {
    /** How far ahead the next opening is looked for. */
    static final Duration HORIZON = Duration.ofDays(366);
    private static final int MAX_STEPS = 1000;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private WindowRules() {
    }

    /**
     * Whether {@code host} may deploy at {@code now}, and if not why and when it may next.
     *
     * @param manual whether an operator asked for this deployment (a sync)
     */
    public static WindowVerdict judge(List<MaintenanceWindow> windows, Host host, Instant now, boolean manual) {
        List<MaintenanceWindow> matching = new ArrayList<>();
        for (MaintenanceWindow window : windows) {
            if (window.matches(host) && !(manual && window.manualSync())) {
                matching.add(window);
            }
        }
        if (matching.isEmpty()) {
            return WindowVerdict.ALLOWED;
        }
        Moment moment = at(matching, now);
        if (moment.allowed()) {
            return WindowVerdict.ALLOWED;
        }
        return new WindowVerdict(false, moment.reason(now), nextOpening(matching, moment, now));
    }

    /** The first instant at or after {@code now} when the windows allow a deployment. */
    private static Instant nextOpening(List<MaintenanceWindow> windows, Moment first, Instant now) {
        Instant limit = now.plus(HORIZON);
        Moment moment = first;
        for (int step = 0; step < MAX_STEPS; step++) {
            Instant change = moment.changeAt();
            if (change == null || change.isAfter(limit)) {
                return null;
            }
            moment = at(windows, change);
            if (moment.allowed()) {
                return change;
            }
        }
        return null;
    }

    /** What the windows say at {@code t}. */
    private static Moment at(List<MaintenanceWindow> windows, Instant t) {
        MaintenanceWindow deny = null;
        Instant denyEnd = null;
        boolean anyAllow = false;
        boolean allowOpen = false;
        MaintenanceWindow nextAllow = null;
        Instant nextAllowStart = null;
        for (MaintenanceWindow window : windows) {
            Optional<Instant> end = openUntil(window, t);
            if (window.kind() == MaintenanceWindow.Kind.DENY) {
                if (end.isPresent() && (denyEnd == null || end.get().isAfter(denyEnd))) {
                    deny = window;
                    denyEnd = end.get();
                }
                continue;
            }
            anyAllow = true;
            if (end.isPresent()) {
                allowOpen = true;
                continue;
            }
            Optional<ZonedDateTime> start = window.schedule().nextStart(t.atZone(window.timezone()));
            if (start.isPresent() && (nextAllowStart == null || start.get().toInstant().isBefore(nextAllowStart))) {
                nextAllow = window;
                nextAllowStart = start.get().toInstant();
            }
        }
        if (deny != null) {
            return new Moment(false, deny, denyEnd, denyEnd);
        }
        if (anyAllow && !allowOpen) {
            return new Moment(false, nextAllow, nextAllowStart, nextAllowStart);
        }
        return new Moment(true, null, null, null);
    }

    /** When {@code window}'s current opening ends, if it is open at {@code t} (start inclusive, end exclusive). */
    static Optional<Instant> openUntil(MaintenanceWindow window, Instant t) {
        return window.schedule().lastStart(t.atZone(window.timezone()))
                .map(start -> start.toInstant().plus(window.duration()))
                .filter(end -> end.isAfter(t));
    }

    /**
     * The windows at one instant.
     *
     * @param window   the deny window that holds (allowed false, open deny), the allow window that opens
     *                 first (allowed false, no allow open), or null
     * @param until    when that deny window closes or that allow window opens
     * @param changeAt when the verdict may change next
     */
    private record Moment(boolean allowed, MaintenanceWindow window, Instant until, Instant changeAt) {
        String reason(Instant now) {
            if (window == null) {
                return "held: no allow window opens within a year";
            }
            String when = until == null ? "" : " " + local(until, window, now);
            return window.kind() == MaintenanceWindow.Kind.DENY
                    ? "held: deny window \"" + window.schedule().text() + "\" open until" + when
                    : "held: allow window \"" + window.schedule().text() + "\" closed until" + when;
        }
    }

    /** {@code 18:00 Europe/Berlin}, with the date in front when it is not today in that zone. */
    static String local(Instant at, MaintenanceWindow window, Instant now) {
        ZonedDateTime local = at.atZone(window.timezone());
        LocalDate today = now.atZone(window.timezone()).toLocalDate();
        DateTimeFormatter format = local.toLocalDate().equals(today) ? TIME : DATE_TIME;
        return format.format(local) + " " + window.timezone().getId();
    }
}
