package io.fleetward.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetward.FleetApi;
import io.fleetward.execute.DeploymentOutcome;
import io.fleetward.fleet.TargetId;
import io.fleetward.store.DeploymentRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Planning from what is known: a fetch pass probes nothing it already knows, a target about to deploy
 * is probed just before, observation runs on its own schedule; and statuses are written only when they
 * change. The whole loop on virtual time ({@link LoopHarness}).
 */
class ObservationLoopTest {
    private static final List<String> HOSTS = List.of("argentum", "blackphos", "cinnabar", "electrum", "galena",
            "rosegold", "scheelite", "stibnite");
    private static final String HAND = "/nix/store/0000000000000000000000000000000a-nixos-system-galena-hand";

    private LoopHarness harness;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    /** Converged, then a minute later (scheduled probes have run for some hosts). */
    private LoopHarness convergedAMinuteAgo() {
        harness = new LoopHarness().started();
        harness.passes.advance(Duration.ofMinutes(1));
        return harness;
    }

    private Map<String, Integer> probes(LoopHarness h) {
        return HOSTS.stream().collect(Collectors.toMap(Function.identity(), h.machines::probeCommands));
    }

    @Test
    void aNewRevisionProbesOnlyTheTargetItDeploys() {
        LoopHarness h = convergedAMinuteAgo();
        Map<String, Integer> before = probes(h);
        String revision = h.fleet.touch("modules/machines/nixos/galena/default.nix", "galena: open port 443");

        h.fetchAndSettle();

        Map<String, Integer> after = probes(h);
        for (String host : HOSTS) {
            if (!host.equals("galena")) {
                assertThat(after.get(host)).as(host + " keeps its status without a probe").isEqualTo(before.get(host));
                assertThat(h.view("system:" + host).reason()).startsWith("no relevant change since");
            }
        }
        // Once just before the deploy, once to verify it.
        assertThat(after.get("galena") - before.get("galena")).isEqualTo(2);
        assertThat(h.deploymentsOf("system:galena").get(0).revision()).isEqualTo(revision);
        assertThat(h.view("system:galena").status()).isEqualTo(TargetStatus.IN_SYNC);
    }

    @Test
    void aNoChangeFetchPassProbesNothing() {
        LoopHarness h = convergedAMinuteAgo();
        Map<String, Integer> before = probes(h);

        h.fetchAndSettle();

        assertThat(probes(h)).isEqualTo(before);
    }

    @Test
    void anAffectedTargetIsProbedJustBeforeItDeploysAndWhatItShowsThenIsUsed() {
        LoopHarness h = convergedAMinuteAgo();
        h.machines.switchByHand("galena", HAND); // not probed yet: the schedule has not come to it
        String revision = h.fleet.touch("modules/machines/nixos/galena/default.nix", "galena: open port 443");

        try (CapturedLog log = CapturedLog.of("io.fleetward")) {
            h.fetchAndSettle();

            assertThat(log.lines("before deploying: system:galena: now runs " + HAND)).hasSize(1);
            // Planned from what the probe found then: the out-of-band switch, as a fetch pass found it before.
            assertThat(log.lines("plan: deploy system:galena")).singleElement().asString()
                    .contains("out-of-band change: " + HAND.substring("/nix/store/".length()) + " was not deployed by fleetward");
        }
        List<DeploymentRecord> galena = h.deploymentsOf("system:galena");
        assertThat(galena.get(0).revision()).isEqualTo(revision);
        assertThat(galena.get(0).outcome()).isEqualTo(DeploymentOutcome.SUCCEEDED);
        assertThat(h.view("system:galena").status()).isEqualTo(TargetStatus.IN_SYNC);
    }

    @Test
    void anAffectedTargetFoundUnreachableJustBeforeItsDeployIsNotDeployed() {
        LoopHarness h = convergedAMinuteAgo();
        int deployments = h.deploymentsOf("system:galena").size();
        h.machines.unreachable("galena", true);
        h.fleet.touch("modules/machines/nixos/galena/default.nix", "galena: open port 443");

        h.fetchAndSettle();

        assertThat(h.deploymentsOf("system:galena")).hasSize(deployments);
        assertThat(h.view("system:galena").status()).isEqualTo(TargetStatus.UNREACHABLE);
    }

    @Test
    void everyHostIsProbedOncePerIntervalAndAnOutOfBandSwitchIsReconciledWithinIt() {
        LoopHarness h = convergedAMinuteAgo();
        Map<String, Integer> before = probes(h);
        h.machines.switchByHand("galena", HAND);

        try (CapturedLog log = CapturedLog.of("io.fleetward")) {
            h.passes.advance(LoopSettings.DEFAULT_PROBE_INTERVAL);

            assertThat(log.lines("probe of galena: system:galena: now runs " + HAND + "; reconciling")).hasSize(1);
            assertThat(log.lines("plan: deploy system:galena")).singleElement().asString()
                    .contains("out-of-band change");
        }

        Map<String, Integer> after = probes(h);
        for (String host : HOSTS) {
            int probed = after.get(host) - before.get(host);
            if (host.equals("galena")) {
                // The scheduled probe that found the switch (not repeated before the deploy), the verification.
                assertThat(probed).as(host).isEqualTo(2);
            } else {
                assertThat(probed).as(host + ": its system, and its standalone home user if any")
                        .isEqualTo(host.equals("argentum") || host.equals("rosegold") ? 2 : 1);
            }
        }
        assertThat(h.deploymentsOf("system:galena").get(0).outcome()).isEqualTo(DeploymentOutcome.SUCCEEDED);
        assertThat(h.machines.system("galena")).isNotEqualTo(HAND);
        assertThat(h.view("system:galena").status()).isEqualTo(TargetStatus.IN_SYNC);
    }

    @Test
    void statusRowsAreWrittenOnlyWhenTheyChange() {
        LoopHarness h = convergedAMinuteAgo();
        Map<TargetId, Instant> written = h.statuses.loadAll().stream()
                .collect(Collectors.toMap(TargetState::target, TargetState::updatedAt));
        assertThat(written).hasSize(FleetApi.REFERENCE_TARGETS.size());

        // Passes (a poll, scheduled probes and the passes that apply them) that change nothing.
        h.passes.advance(Duration.ofMinutes(2));
        h.fetchAndSettle();
        h.passes.advance(LoopSettings.DEFAULT_PROBE_INTERVAL);

        assertThat(h.statuses.loadAll()).allSatisfy(row ->
                assertThat(row.updatedAt()).as(row.target().toString()).isEqualTo(written.get(row.target())));

        CompletableFuture<Void> suspend = CompletableFuture.runAsync(
                () -> h.controls.suspend(TargetId.parse("system:galena"), "maintenance"));
        await().atMost(Duration.ofSeconds(5)).until(h.passes::hasWork);
        h.passes.runUntilIdle();
        suspend.join();
        Map<TargetId, TargetState> rows = h.statuses.loadAll().stream()
                .collect(Collectors.toMap(TargetState::target, Function.identity()));
        assertThat(rows.get(TargetId.parse("system:galena")).suspended()).isTrue();
        assertThat(rows.get(TargetId.parse("system:galena")).updatedAt()).isAfter(written.get(TargetId.parse("system:galena")));
        assertThat(rows.get(TargetId.parse("system:cinnabar")).updatedAt())
                .isEqualTo(written.get(TargetId.parse("system:cinnabar")));
    }
}
