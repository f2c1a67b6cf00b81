package io.fleetward.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetward.fleet.CronSchedule;
import io.fleetward.fleet.Host;
import io.fleetward.fleet.MaintenanceWindow;
import io.fleetward.fleet.Platform;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Argo CD's window rules on fixed instants: each row is a fleet's windows, a host, an instant and the verdict. */
class WindowRulesTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final Host WORKSTATION = host("stibnite", "darwin", "workstation");
    private static final Host SERVER = host("cinnabar", "nixos", "server");

    /** Office hours in Berlin, Monday to Friday: no deployments to workstations. */
    private static final MaintenanceWindow OFFICE = window(MaintenanceWindow.Kind.DENY, "0 9 * * 1-5", "PT9H",
            List.of("workstation"), List.of(), BERLIN, true);
    /** A nightly allow window for cinnabar, 02:00-05:00 UTC. */
    private static final MaintenanceWindow NIGHTLY = window(MaintenanceWindow.Kind.ALLOW, "0 2 * * *", "PT3H",
            List.of(), List.of("cinnabar"), UTC, true);
    /** Spans midnight: 22:00-02:00 Berlin, every day. */
    private static final MaintenanceWindow LATE = window(MaintenanceWindow.Kind.ALLOW, "0 22 * * *", "PT4H",
            List.of("server"), List.of(), BERLIN, true);
    /** Berlin's spring-forward night: 02:00 local does not exist on 2026-03-29. */
    private static final MaintenanceWindow TWO_AM = window(MaintenanceWindow.Kind.ALLOW, "0 2 * * *", "PT3H",
            List.of("server"), List.of(), BERLIN, true);
    /** 01:30 local, which happens twice on Berlin's fall-back night (2026-10-25). */
    private static final MaintenanceWindow HALF_PAST_ONE = window(MaintenanceWindow.Kind.DENY, "30 1 * * *", "PT1H",
            List.of("server"), List.of(), BERLIN, true);
    /** A freeze no operator's sync may break. */
    private static final MaintenanceWindow FREEZE = window(MaintenanceWindow.Kind.DENY, "0 0 * * *", "PT24H",
            List.of("server"), List.of(), UTC, false);

    record Row(List<MaintenanceWindow> windows, Host host, String at, boolean manual, boolean allowed, String reason,
               String nextOpening) {
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                row("no matching window: may always deploy", List.of(OFFICE), SERVER, "2026-06-03T10:00:00Z",
                        false, true, null, null),
                row("deny window open: held until it closes, in the window's zone (CEST in June)", List.of(OFFICE),
                        WORKSTATION, "2026-06-03T10:00:00Z", false, false,
                        "held: deny window \"0 9 * * 1-5\" open until 18:00 Europe/Berlin", "2026-06-03T16:00:00Z"),
                row("deny window in winter: the same local hours are an hour later in UTC", List.of(OFFICE),
                        WORKSTATION, "2026-01-07T16:59:00Z", false, false,
                        "held: deny window \"0 9 * * 1-5\" open until 18:00 Europe/Berlin", "2026-01-07T17:00:00Z"),
                row("deny window closes at its end (end exclusive)", List.of(OFFICE), WORKSTATION,
                        "2026-01-07T17:00:00Z", false, true, null, null),
                row("deny window on a weekend does not open", List.of(OFFICE), WORKSTATION, "2026-06-06T10:00:00Z",
                        false, true, null, null),
                row("allow window closed: held until it opens", List.of(NIGHTLY), SERVER, "2026-06-03T10:00:00Z",
                        false, false, "held: allow window \"0 2 * * *\" closed until 2026-06-04 02:00 UTC",
                        "2026-06-04T02:00:00Z"),
                row("allow window open: may deploy", List.of(NIGHTLY), SERVER, "2026-06-04T04:59:59Z", false, true,
                        null, null),
                row("window spanning midnight: open just after midnight", List.of(LATE), SERVER,
                        "2026-06-03T22:30:00Z", false, true, null, null),
                row("window spanning midnight: closed after it, next opening tonight", List.of(LATE), SERVER,
                        "2026-06-04T00:00:00Z", false, false,
                        "held: allow window \"0 22 * * *\" closed until 22:00 Europe/Berlin", "2026-06-04T20:00:00Z"),
                row("deny wins over an open allow window", List.of(LATE, FREEZE), SERVER, "2026-06-03T21:00:00Z",
                        false, false, "held: deny window \"0 0 * * *\" open until 2026-06-04 00:00 UTC", "none"),
                row("a manual sync overrides windows with manual-sync true", List.of(OFFICE), WORKSTATION,
                        "2026-06-03T10:00:00Z", true, true, null, null),
                row("a manual sync does not override manual-sync false", List.of(FREEZE), SERVER,
                        "2026-06-03T10:00:00Z", true, false,
                        "held: deny window \"0 0 * * *\" open until 2026-06-04 00:00 UTC", "none"),
                row("spring forward: 02:00 Berlin does not exist on 2026-03-29, the window opens at 03:00 CEST",
                        List.of(TWO_AM), SERVER, "2026-03-29T00:30:00Z", false, false,
                        "held: allow window \"0 2 * * *\" closed until 03:00 Europe/Berlin", "2026-03-29T01:00:00Z"),
                row("spring forward: open for 3 hours of elapsed time from 03:00 CEST", List.of(TWO_AM), SERVER,
                        "2026-03-29T03:59:00Z", false, true, null, null),
                row("fall back: the deny window opens at the first 01:30 and lasts one hour",
                        List.of(HALF_PAST_ONE), SERVER, "2026-10-24T23:45:00Z", false, false,
                        "held: deny window \"30 1 * * *\" open until 02:30 Europe/Berlin", "2026-10-25T00:30:00Z"),
                row("fall back: not again at the second 01:30", List.of(HALF_PAST_ONE), SERVER,
                        "2026-10-25T00:45:00Z", false, true, null, null));
    }

    private static Arguments row(String name, List<MaintenanceWindow> windows, Host host, String at, boolean manual,
                                 boolean allowed, String reason, String nextOpening) {
        return Arguments.of(name, new Row(windows, host, at, manual, allowed, reason, nextOpening));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void judges(String name, Row row) {
        WindowVerdict verdict = WindowRules.judge(row.windows(), row.host(), Instant.parse(row.at()), row.manual());

        assertThat(verdict.allowed()).as("allowed").isEqualTo(row.allowed());
        assertThat(verdict.reason()).as("reason").isEqualTo(row.reason());
        if ("none".equals(row.nextOpening())) {
            assertThat(verdict.nextOpening()).as("no opening within a year").isNull();
        } else {
            assertThat(verdict.nextOpening()).as("next opening")
                    .isEqualTo(row.nextOpening() == null ? null : Instant.parse(row.nextOpening()));
        }
    }

    private static MaintenanceWindow window(MaintenanceWindow.Kind kind, String cron, String duration,
                                            List<String> tags, List<String> hosts, ZoneId zone, boolean manualSync) {
        return new MaintenanceWindow(1, kind, CronSchedule.parse(cron), Duration.parse(duration), tags, hosts, zone,
                manualSync);
    }

    private static Host host(String name, String platform, String tag) {
        return new Host(name, Platform.valueOf(platform.toUpperCase(java.util.Locale.ROOT)), "root@" + name, "ssh", List.of(platform, tag),
                List.of(), false);
    }
}
