package io.fleetward.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetward.FleetApi;
import io.fleetward.reconcile.FleetEvent.Kind;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The loop tells its notifications port what happened, where it happened, once: deployments
 * started and ended, a target turning unreachable, an out-of-band change. On the whole loop
 * ({@link LoopHarness}): real git, drift, planner, deployer and store; machines in memory.
 */
class ReconcileLoopNotificationsTest {
    private LoopHarness harness;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void everyFirstDeploymentIsToldWhenItStartsAndWhenItSucceeded() {
        LoopHarness h = harness = new LoopHarness().started();
        String head = h.source.revision().orElseThrow();

        for (String id : FleetApi.REFERENCE_TARGETS) {
            assertThat(h.notifications.about(id)).as(id).extracting(FleetEvent::kind)
                    .containsExactly(Kind.DEPLOYMENT_STARTED, Kind.DEPLOYMENT_SUCCEEDED);
        }
        FleetEvent succeeded = h.notifications.about("system:galena").get(1);
        assertThat(succeeded.host()).isEqualTo("galena");
        assertThat(succeeded.revision()).isEqualTo(head);
        assertThat(succeeded.outcome()).isEqualTo("succeeded");
        assertThat(succeeded.tags()).isEqualTo(h.view("system:galena").target().host().tags());
        assertThat(h.notifications.about("system:galena").get(0).reason()).isEqualTo("never deployed");
    }

    @Test
    void aFailedDeploymentIsToldWithItsReason() {
        LoopHarness h = harness = new LoopHarness().started();
        h.notifications.clear();
        h.machines.failDeploys("electrum", true);
        String revision = h.fleet.touch("modules/machines/nixos/electrum/default.nix", "electrum: break it");

        h.fetchAndSettle();

        List<FleetEvent> failed = h.notifications.of(Kind.DEPLOYMENT_FAILED);
        assertThat(failed).isNotEmpty().allSatisfy(event -> {
            assertThat(event.target()).hasToString("system:electrum");
            assertThat(event.revision()).isEqualTo(revision);
            assertThat(event.outcome()).isEqualTo("failed");
            assertThat(event.reason()).isNotBlank();
        });
        assertThat(h.notifications.of(Kind.DEPLOYMENT_SUCCEEDED)).isEmpty();
    }

    @Test
    void aTargetTurningUnreachableIsToldOnceNotOnEveryPass() {
        LoopHarness h = harness = new LoopHarness().started();
        h.notifications.clear();
        h.machines.unreachable("galena", true);

        h.observeAndSettle();
        h.observeAndSettle();
        h.observeAndSettle();

        assertThat(h.view("system:galena").status()).isEqualTo(TargetStatus.UNREACHABLE);
        List<FleetEvent> unreachable = h.notifications.of(Kind.TARGET_UNREACHABLE);
        assertThat(unreachable).extracting(e -> e.target().toString()).containsOnlyOnce("system:galena");
        assertThat(unreachable).filteredOn(e -> e.target().toString().equals("system:galena")).singleElement()
                .satisfies(e -> {
                    assertThat(e.outcome()).isEqualTo("unreachable");
                    assertThat(e.reason()).isEqualTo(h.view("system:galena").reason());
                });

        // Back, then gone again: told again.
        h.machines.unreachable("galena", false);
        h.observeAndSettle();
        h.machines.unreachable("galena", true);
        h.observeAndSettle();
        assertThat(h.notifications.of(Kind.TARGET_UNREACHABLE))
                .filteredOn(e -> e.target().toString().equals("system:galena")).hasSize(2);
    }

    @Test
    void aTargetStillUnreachableAfterARestartIsNotToldAgain() {
        LoopHarness h = harness = new LoopHarness().started();
        h.machines.unreachable("galena", true);
        h.observeAndSettle();
        assertThat(h.notifications.of(Kind.TARGET_UNREACHABLE)).hasSize(1);
        h.notifications.clear();

        try (ReconcileLoop restarted = h.restartedLoop()) {
            restarted.start();
            h.settle();

            assertThat(restarted.target(io.fleetward.fleet.TargetId.system("galena")).orElseThrow().status())
                    .isEqualTo(TargetStatus.UNREACHABLE);
            assertThat(h.notifications.of(Kind.TARGET_UNREACHABLE)).as("told before the restart").isEmpty();
        }
    }

    @Test
    void anOutOfBandSwitchIsToldOnceThenRedeployed() {
        LoopHarness h = harness = new LoopHarness().started();
        h.notifications.clear();
        h.machines.switchByHand("cinnabar", "/nix/store/0000000000000000000000000000000a-nixos-system-cinnabar-hand");

        h.observeAndSettle();
        h.observeAndSettle();

        assertThat(h.notifications.about("system:cinnabar")).extracting(FleetEvent::kind)
                .containsExactly(Kind.OUT_OF_BAND_CHANGE, Kind.DEPLOYMENT_STARTED, Kind.DEPLOYMENT_SUCCEEDED);
        assertThat(h.notifications.of(Kind.OUT_OF_BAND_CHANGE).get(0).reason())
                .startsWith("out-of-band change: ").contains("cinnabar-hand");
        assertThat(h.notifications.events()).as("no other target was touched")
                .allSatisfy(e -> assertThat(e.target()).hasToString("system:cinnabar"));
    }

    @Test
    void anOutOfBandChangeThatCannotBeUndoneIsNotToldAgainOnANewRevisionOrAfterAnOutage() {
        LoopHarness h = harness = new LoopHarness().started();
        h.notifications.clear();
        h.machines.failDeploys("cinnabar", true);
        h.machines.switchByHand("cinnabar", "/nix/store/0000000000000000000000000000000a-nixos-system-cinnabar-hand");
        h.observeAndSettle();
        h.fleet.touch("modules/machines/nixos/cinnabar/default.nix", "cinnabar: another change");
        h.fetchAndSettle();
        h.machines.unreachable("cinnabar", true);
        h.observeAndSettle();
        h.machines.unreachable("cinnabar", false);
        h.observeAndSettle();

        assertThat(h.notifications.of(Kind.OUT_OF_BAND_CHANGE)).hasSize(1);
        assertThat(h.notifications.of(Kind.DEPLOYMENT_FAILED)).isNotEmpty();

        // Deployed again (a new revision restarts the attempts), then switched by hand again: told again.
        h.machines.failDeploys("cinnabar", false);
        h.fleet.touch("modules/machines/nixos/cinnabar/default.nix", "cinnabar: fixed");
        h.fetchAndSettle();
        assertThat(h.view("system:cinnabar").status()).isEqualTo(TargetStatus.IN_SYNC);
        h.machines.switchByHand("cinnabar", "/nix/store/0000000000000000000000000000000b-nixos-system-cinnabar-hand");
        h.observeAndSettle();
        assertThat(h.notifications.of(Kind.OUT_OF_BAND_CHANGE)).hasSize(2);
    }

    @Test
    void inExactModeAnOutOfBandSwitchIsToldToo() {
        LoopHarness h = harness = new LoopHarness(LoopHarness.Options.standard().withExactMode()).started();
        h.notifications.clear();
        h.machines.switchByHand("cinnabar", "/nix/store/0000000000000000000000000000000a-nixos-system-cinnabar-hand");

        h.observeAndSettle();

        assertThat(h.notifications.of(Kind.OUT_OF_BAND_CHANGE)).singleElement().satisfies(e -> {
            assertThat(e.target()).hasToString("system:cinnabar");
            assertThat(e.reason()).contains("running 0000000000000000000000000000000a-nixos-system-cinnabar-hand");
        });
    }

    @Test
    void aDryRunTellsNoDeployment() {
        LoopHarness h = harness = new LoopHarness(LoopHarness.Options.standard().withDryRun()).started();

        assertThat(h.notifications.of(Kind.DEPLOYMENT_STARTED)).isEmpty();
        assertThat(h.notifications.of(Kind.DEPLOYMENT_SUCCEEDED)).isEmpty();
    }
}
