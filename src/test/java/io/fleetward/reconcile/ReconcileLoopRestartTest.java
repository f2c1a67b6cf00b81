package io.fleetward.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetward.execute.DeploymentOutcome;
import io.fleetward.fleet.TargetId;
import io.fleetward.store.DeploymentRecord;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a crash leaves behind is cleaned up at start; a shutdown stops what runs and says so. */
class ReconcileLoopRestartTest {
    private LoopHarness harness;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void aDeploymentRunningWhenTheProcessDiedIsMarkedInterruptedAndItsTargetConverges() {
        harness = new LoopHarness();
        LoopHarness h = harness;
        long crashed = h.deployments.begin(TargetId.system("galena"), "0123456789abcdef0123456789abcdef01234567",
                "timer", h.clock.instant(), null);

        h.started();

        DeploymentRecord record = h.deployments.find(crashed).orElseThrow();
        assertThat(record.outcome()).isEqualTo(DeploymentOutcome.INTERRUPTED);
        assertThat(record.reason()).contains("stopped while the deployment ran");
        assertThat(record.endedAt()).isNotNull();
        assertThat(h.deploymentsOf("system:galena")).extracting(DeploymentRecord::outcome)
                .containsExactly(DeploymentOutcome.SUCCEEDED, DeploymentOutcome.INTERRUPTED);
        assertThat(h.view("system:galena").status()).isEqualTo(TargetStatus.IN_SYNC);
    }

    @Test
    void shutdownInterruptsADeploymentPastTheGracePeriodRecordsItAndStartsNothingMore() {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        harness = new LoopHarness(LoopHarness.Options.standard().withDeploys(pool));
        LoopHarness h = harness;
        h.loop.start();
        await().pollInSameThread().atMost(Duration.ofSeconds(30)).until(() -> {
            h.passes.runUntilIdle();
            return h.loop.targets().size() == 10
                    && h.loop.targets().stream().allMatch(v -> v.status() == TargetStatus.IN_SYNC);
        });
        String before = h.machines.system("scheelite");
        h.machines.holdDeploys("scheelite");
        h.fleet.touch("modules/machines/nixos/scheelite/default.nix", "scheelite: bigger build");
        h.fetchAndSettle();
        await().atMost(Duration.ofSeconds(10)).until(() -> h.machines.deployStarted("scheelite"));
        assertThat(h.view("system:scheelite").status()).isEqualTo(TargetStatus.DEPLOYING);

        h.loop.close(); // what SIGTERM does: a grace period of 200ms in the harness, then stop

        DeploymentRecord last = h.deploymentsOf("system:scheelite").get(0);
        assertThat(last.outcome()).isEqualTo(DeploymentOutcome.INTERRUPTED);
        assertThat(last.endedAt()).isNotNull();
        assertThat(h.machines.system("scheelite")).isEqualTo(before);
        List<TargetState> saved = h.statuses.loadAll();
        assertThat(saved).filteredOn(state -> state.target().equals(TargetId.system("scheelite")))
                .singleElement().satisfies(state -> {
                    assertThat(state.status()).isEqualTo(TargetStatus.UNKNOWN);
                    assertThat(state.reason()).isEqualTo("fleetward stopped during the deployment");
                });
        assertThat(saved).filteredOn(state -> state.target().equals(TargetId.system("galena")))
                .singleElement().satisfies(state -> assertThat(state.status()).isEqualTo(TargetStatus.IN_SYNC));

        h.loop.request("test", true);
        assertThat(h.passes.hasWork()).as("no pass runs after shutdown").isFalse();
    }
}
