package io.fleetward.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fleetward.fleet.CommitId;
import io.fleetward.fleet.TargetId;
import io.fleetward.rollout.RolloutStatus;
import io.fleetward.rollout.TargetPhase;
import io.fleetward.store.DeploymentRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Waves, halts and maintenance windows on whole passes of the loop ({@link LoopHarness}: the
 * reference fleet's git repository, machines in memory, virtual time that starts at
 * 2026-01-01T00:00:00Z). stibnite is made the canary; the servers come next, the rest last.
 */
class RolloutLoopTest {
    private static final String WAVES = """
            rollout:
              waves:
                - {name: canary, tags: [canary]}
                - {name: servers, tags: [server]}
                - {name: rest}
              soak: 5m
            """;
    private static final TargetId STIBNITE = TargetId.system("stibnite");

    private LoopHarness harness;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    /** A converged fleet whose overlay now carries {@code section} (and stibnite the canary tag). */
    private LoopHarness convergedWith(String section) throws IOException {
        harness = new LoopHarness().started();
        String overlay = Files.readString(harness.fleet.root().resolve("repo/fleetward.yaml"))
                .replaceFirst("tags: \\[darwin, workstation]", "tags: [darwin, workstation, canary]");
        harness.fleet.commit("fleetward.yaml", overlay + section, "rollout policy");
        harness.fetchAndSettle();
        assertThat(harness.loop.targets()).extracting(TargetView::status).containsOnly(TargetStatus.IN_SYNC);
        return harness;
    }

    @Test
    void aFailingCanaryHaltsTheRolloutUntilAnOperatorResumesIt() throws IOException {
        LoopHarness h = convergedWith(WAVES);
        int before = h.deploymentCount();
        h.machines.failDeploys("stibnite", true);
        String bad = h.fleet.touch("flake.lock", "bump nixpkgs");

        h.fetchAndSettle();

        assertThat(h.deploymentCount()).as("only the canary ran").isEqualTo(before + 1);
        assertThat(h.view("system:stibnite").status()).isEqualTo(TargetStatus.FAILED);
        String halted = "held: rollout of " + CommitId.abbreviate(bad)
                + " halted: system:stibnite failed (fleetward.commands.system-deploy exited 1)";
        assertThat(h.view("system:cinnabar").status()).isEqualTo(TargetStatus.DRIFTED);
        assertThat(h.view("system:cinnabar").reason()).isEqualTo(halted);
        assertThat(h.view("home:janettesmith@rosegold").reason()).isEqualTo(halted);
        assertThat(h.metrics.rolloutHalted).isTrue();
        assertThat(h.metrics.rolloutWave).isEqualTo(1);
        RolloutStatus rollout = h.loop.rollout().orElseThrow();
        assertThat(rollout.revision()).isEqualTo(bad);
        assertThat(rollout.halted()).isEqualTo("system:stibnite failed (fleetward.commands.system-deploy exited 1)");

        h.passes.advance(Duration.ofHours(1));
        assertThat(h.deploymentsOf("system:stibnite")).as("a halted rollout is not retried").hasSize(2);
        assertThat(h.deploymentCount()).isEqualTo(before + 1);

        operator(h, () -> h.controls.resumeRollout());

        assertThat(h.metrics.rolloutHalted).isFalse();
        assertThat(h.view("system:cinnabar").reason())
                .as("the canary deployed, so it soaks from the resume on")
                .startsWith("held: wave servers waits for wave canary to soak until ");
        assertThat(h.loop.rollout().orElseThrow().pending()).containsExactly(STIBNITE);

        h.passes.advance(Duration.ofMinutes(5));
        assertThat(h.view("system:cinnabar").status()).isEqualTo(TargetStatus.IN_SYNC);
        assertThat(h.view("system:galena").deployedRevision()).isEqualTo(bad);
        assertThat(h.view("system:rosegold").reason())
                .startsWith("held: wave rest waits for wave servers to soak until ");
        assertThat(h.metrics.rolloutWave).isEqualTo(2);

        h.passes.advance(Duration.ofMinutes(5));
        assertThat(h.loop.targets()).filteredOn(v -> !v.target().id().equals(STIBNITE))
                .extracting(TargetView::status).containsOnly(TargetStatus.IN_SYNC);
        assertThat(h.metrics.rolloutWave).isEqualTo(3);
        assertThatThrownBy(() -> h.controls.resumeRollout()).isInstanceOf(ControlException.class)
                .hasMessageContaining("is not halted");
    }

    @Test
    void aNewRevisionStartsANewRolloutFromTheFirstWave() throws IOException {
        LoopHarness h = convergedWith(WAVES);
        h.machines.failDeploys("stibnite", true);
        h.fleet.touch("flake.lock", "bump nixpkgs");
        h.fetchAndSettle();
        assertThat(h.metrics.rolloutHalted).isTrue();

        h.machines.failDeploys("stibnite", false);
        String fixed = h.fleet.touch("flake.lock", "bump nixpkgs again, fixed");
        h.fetchAndSettle();

        assertThat(h.metrics.rolloutHalted).isFalse();
        assertThat(h.view("system:stibnite").deployedRevision()).isEqualTo(fixed);
        assertThat(h.view("system:galena").reason())
                .startsWith("held: wave servers waits for wave canary to soak until 2026-01-01T00:05:00Z");
        List<RolloutStatus.Member> canary = h.loop.rollout().orElseThrow().waves().get(0).targets();
        assertThat(canary).containsExactly(new RolloutStatus.Member(STIBNITE, TargetPhase.DONE));
    }

    @Test
    void anUnreachableCanaryDoesNotHoldTheFleetAndDeploysWhenItIsBack() throws IOException {
        LoopHarness h = convergedWith(WAVES);
        h.machines.unreachable("stibnite", true);
        String revision = h.fleet.touch("flake.lock", "bump nixpkgs");

        h.fetchAndSettle();

        assertThat(h.view("system:stibnite").status()).isEqualTo(TargetStatus.UNREACHABLE);
        assertThat(h.view("system:galena").deployedRevision()).as("the canary deployed nothing: no soak")
                .isEqualTo(revision);
        assertThat(h.loop.rollout().orElseThrow().pending()).containsExactly(STIBNITE);
        assertThat(h.view("system:rosegold").reason())
                .startsWith("held: wave rest waits for wave servers to soak until 2026-01-01T00:05:00Z");

        h.machines.unreachable("stibnite", false);
        h.fetchAndSettle();

        assertThat(h.view("system:stibnite").status()).isEqualTo(TargetStatus.IN_SYNC);
        assertThat(h.view("system:stibnite").deployedRevision()).isEqualTo(revision);
        assertThat(h.loop.rollout().orElseThrow().pending()).isEmpty();
    }

    @Test
    void windowsHoldTargetsUntilTheyOpenAndAWakeUpDeploysThemThen() throws IOException {
        LoopHarness h = convergedWith("""
                windows:
                  - {kind: deny, schedule: "0 1 * * *", duration: 1h, tags: [workstation], timezone: Europe/Berlin}
                  - {kind: allow, schedule: "0 2 * * *", duration: 3h, hosts: [cinnabar], manual-sync: false}
                """);
        String revision = h.fleet.touch("flake.lock", "bump nixpkgs");

        h.fetchAndSettle();

        assertThat(h.view("system:stibnite").status()).isEqualTo(TargetStatus.DRIFTED);
        assertThat(h.view("system:stibnite").reason())
                .isEqualTo("held: deny window \"0 1 * * *\" open until 02:00 Europe/Berlin");
        assertThat(h.view("system:cinnabar").reason())
                .isEqualTo("held: allow window \"0 2 * * *\" closed until 02:00 UTC");
        assertThat(h.view("system:galena").deployedRevision()).as("no window matches galena").isEqualTo(revision);
        assertThat(h.loop.plan().deferred()).contains(
                new Deferral(STIBNITE, "held: deny window \"0 1 * * *\" open until 02:00 Europe/Berlin",
                        Instant.parse("2026-01-01T01:00:00Z")),
                new Deferral(TargetId.system("cinnabar"), "held: allow window \"0 2 * * *\" closed until 02:00 UTC",
                        Instant.parse("2026-01-01T02:00:00Z")));

        operator(h, () -> h.controls.sync(TargetId.system("blackphos")));
        operator(h, () -> h.controls.sync(TargetId.system("cinnabar")));
        assertThat(h.view("system:blackphos").deployedRevision()).as("a sync overrides the deny window")
                .isEqualTo(revision);
        assertThat(h.view("system:cinnabar").deployedRevision()).as("manual-sync: false holds even a sync")
                .isNotEqualTo(revision);

        h.passes.advance(Duration.ofMinutes(59));
        assertThat(h.view("system:stibnite").status()).isEqualTo(TargetStatus.DRIFTED);
        h.passes.advance(Duration.ofMinutes(1)); // 01:00Z: the wake-up fires as the deny window closes
        assertThat(h.view("system:stibnite").deployedRevision()).isEqualTo(revision);
        assertThat(h.view("system:cinnabar").status()).isEqualTo(TargetStatus.DRIFTED);

        h.passes.advance(Duration.ofHours(1)); // 02:00Z: cinnabar's allow window opens
        assertThat(h.view("system:cinnabar").deployedRevision()).isEqualTo(revision);
        List<DeploymentRecord> cinnabar = h.deploymentsOf("system:cinnabar");
        assertThat(cinnabar.get(0).startedAt()).isEqualTo(Instant.parse("2026-01-01T02:00:00Z"));
    }

    /** An operator's request as the API makes it: on a thread of its own, answered once a pass applied it. */
    private static void operator(LoopHarness h, Runnable request) {
        h.passes.runUntilIdle();
        CompletableFuture<Void> call = CompletableFuture.runAsync(request);
        await().atMost(Duration.ofSeconds(5)).until(h.passes::hasWork);
        h.passes.runUntilIdle();
        call.join();
    }
}
