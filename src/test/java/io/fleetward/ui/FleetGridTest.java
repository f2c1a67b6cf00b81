package io.fleetward.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetward.reconcile.TargetView;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FleetGridTest {
    private static final List<TargetView> FLEET = SyntheticFleet.of(40, Instant.parse("2026-01-01T00:00:00Z"));

    @ParameterizedTest(name = "status={0} tag={1} platform={2} text={3} -> {4} hosts, {5} targets")
    @CsvSource(nullValues = "-", value = {
            "-,         -,      -,      -,          40, 60",
            "in_sync,   -,      -,      -,          31, 51",  // 9 hosts have only a system target, not IN_SYNC
            "DRIFTED,   -,      -,      -,          2,  4",   // host0003, and host0024 with its two users
            "-,         rack3,  -,      -,          4,  4",
            "-,         -,      darwin, -,          8,  12",
            "-,         -,      -,      host001,    10, 14",
            "-,         -,      -,      alice,      10, 30",
            "-,         -,      -,      changed,    12, 18",  // the reason of every system target not IN_SYNC
            "FAILED,    -,      darwin, -,          1,  1",   // host0030
            "NOSUCH,    -,      -,      -,          0,  0"})
    void filtersPickHosts(String status, String tag, String platform, String text, int hosts, int targets) {
        FleetGrid grid = FleetGrid.of(FLEET, new GridFilter(status, tag, platform, text));
        assertThat(grid.rows()).hasSize(hosts);
        assertThat(grid.shownTargets()).isEqualTo(targets);
        assertThat(grid.targets()).isEqualTo(60);
    }

    @org.junit.jupiter.api.Test
    void rowsHoldTheSystemAndTheHomeCellsAndCountsCoverTheWholeFleet() {
        FleetGrid grid = FleetGrid.of(FLEET, new GridFilter(null, "rack0", null, null));
        FleetGrid.Row first = grid.rows().get(0);
        assertThat(first.host()).isEqualTo("host0000");
        assertThat(first.system().id()).isEqualTo("system:host0000");
        assertThat(first.homes()).extracting(FleetGrid.Cell::label).containsExactly("alice", "bob");
        assertThat(grid.counts().stream().mapToInt(FleetGrid.Count::count).sum()).isEqualTo(60);
        assertThat(grid.tags()).hasSize(10).startsWith("rack0", "rack1");
        assertThat(grid.platforms()).containsExactly("darwin", "nixos");
    }

    @org.junit.jupiter.api.Test
    void longReasonsAreCutForTheCellAndKeptWhole() {
        String reason = "x".repeat(100);
        assertThat(FleetGrid.shortReason(reason)).hasSize(FleetGrid.SHORT_REASON).endsWith("…");
        assertThat(FleetGrid.shortReason("short")).isEqualTo("short");
    }
}
