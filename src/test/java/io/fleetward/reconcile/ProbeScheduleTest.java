package io.fleetward.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** When hosts are probed: once per interval each, spread evenly, no burst. Pure, on given instants. */
class ProbeScheduleTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

    private static List<String> hosts(int n) {
        return IntStream.range(0, n).mapToObj(i -> String.format("h%04d", i)).toList();
    }

    /** Ticks as the loop runs them (each after {@link ProbeSchedule#untilNext}); hosts probed per tick. */
    private static Map<Instant, List<String>> run(ProbeSchedule schedule, Instant from, Duration length) {
        Map<Instant, List<String>> ticks = new HashMap<>();
        Instant now = from;
        Instant end = from.plus(length);
        while (now.isBefore(end)) {
            ticks.put(now, schedule.due(now));
            now = now.plus(schedule.untilNext(now));
        }
        return ticks;
    }

    @Test
    void aThousandHostsAreSpreadEvenlyOverTheInterval() {
        ProbeSchedule schedule = new ProbeSchedule(FIVE_MINUTES);
        schedule.hosts(hosts(1000), T0);
        Map<Instant, List<String>> ticks = run(schedule, T0, Duration.ofMinutes(20));

        Map<String, List<Instant>> probedAt = new HashMap<>();
        ticks.forEach((at, hosts) -> hosts.forEach(h -> probedAt.computeIfAbsent(h, k -> new ArrayList<>()).add(at)));
        assertThat(probedAt).hasSize(1000).allSatisfy((host, at) -> {
            List<Instant> sorted = at.stream().sorted().toList();
            // First within one interval (ticks are 1 s apart at most), then once per interval.
            assertThat(sorted.get(0)).as(host).isBefore(T0.plus(FIVE_MINUTES).plusSeconds(1));
            for (int i = 1; i < sorted.size(); i++) {
                assertThat(Duration.between(sorted.get(i - 1), sorted.get(i))).as(host)
                        .isBetween(FIVE_MINUTES.minusSeconds(1), FIVE_MINUTES.plusSeconds(1));
            }
        });
        // 1,000 hosts over 300 s, ticks at least 1 s apart: at most 4 hosts in any tick, never a burst.
        assertThat(ticks.values().stream().mapToInt(List::size).max().orElseThrow()).isLessThanOrEqualTo(4);
        assertThat(ticks.values().stream().filter(h -> !h.isEmpty()).count()).isGreaterThanOrEqualTo(4 * 250);
    }

    @Test
    void everyHostComesAgainOneIntervalLater() {
        ProbeSchedule schedule = new ProbeSchedule(FIVE_MINUTES);
        schedule.hosts(hosts(10), T0);
        Instant first = schedule.dueAt("h0003");
        assertThat(first).isEqualTo(T0.plus(Duration.ofSeconds(90))); // 3/10 of 5 minutes

        assertThat(schedule.due(first)).containsExactly("h0000", "h0001", "h0002", "h0003");
        assertThat(schedule.dueAt("h0003")).isEqualTo(first.plus(FIVE_MINUTES));
        assertThat(schedule.due(first)).isEmpty();
    }

    @Test
    void hostsThatStayKeepTheirTimeHostsThatLeaveAreDropped() {
        ProbeSchedule schedule = new ProbeSchedule(FIVE_MINUTES);
        schedule.hosts(hosts(4), T0);
        Instant h2 = schedule.dueAt("h0002");
        List<String> changed = new ArrayList<>(hosts(4));
        changed.remove("h0001");
        changed.add("new-host");

        schedule.hosts(changed, T0.plusSeconds(10));

        assertThat(schedule.dueAt("h0002")).isEqualTo(h2);
        assertThat(schedule.dueAt("h0001")).isNull();
        assertThat(schedule.dueAt("new-host")).isNotNull();
        assertThat(schedule.size()).isEqualTo(4);
        assertThat(schedule.due(T0.plus(FIVE_MINUTES).plusSeconds(10))).doesNotContain("h0001").contains("new-host");
    }

    @Test
    void aLoopHeldUpForLongerThanAnIntervalDoesNotCatchUpInABurstLater() {
        ProbeSchedule schedule = new ProbeSchedule(FIVE_MINUTES);
        schedule.hosts(hosts(100), T0);
        Instant late = T0.plus(Duration.ofMinutes(12));

        assertThat(schedule.due(late)).hasSize(100); // each once, not two or three times
        assertThat(schedule.dueAt("h0000")).isEqualTo(late.plus(FIVE_MINUTES));
        assertThat(schedule.due(late.plusSeconds(1))).isEmpty();
    }

    @Test
    void ticksAreAtLeastASecondApartAndWaitForTheNextHost() {
        ProbeSchedule schedule = new ProbeSchedule(FIVE_MINUTES);
        assertThat(schedule.untilNext(T0)).isEqualTo(Duration.ofSeconds(5)); // no host yet
        schedule.hosts(hosts(2), T0);
        schedule.due(T0);
        assertThat(schedule.untilNext(T0)).isEqualTo(Duration.ofSeconds(150));
        schedule.hosts(hosts(5000), T0);
        assertThat(schedule.untilNext(T0)).isEqualTo(ProbeSchedule.MIN_TICK);
    }
}
