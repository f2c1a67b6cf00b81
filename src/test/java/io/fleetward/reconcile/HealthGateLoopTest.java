package io.fleetward.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fleetward.InMemoryMachines;
import io.fleetward.execute.DeploymentOutcome;
import io.fleetward.fleet.StorePath;
import io.fleetward.fleet.TargetId;
import io.fleetward.store.DeploymentRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The guarded deployer in the loop: precheck, health gate with its checks from {@code fleetward.yaml},
 * rollback to the path before, a revision that rolled back never deployed there again, a requested
 * rollback, and files a deploy leaves in the checkout. The reference fleet's repository, machines in
 * memory ({@link InMemoryMachines}), passes on virtual time.
 */
class HealthGateLoopTest {
    private static final String GALENA = "modules/machines/nixos/galena/default.nix";
    private static final String HEALTH = "systemctl is-system-running --wait";

    private LoopHarness harness;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    /** The fleet converged with guards on, and galena's overlay entry given a health check of its own. */
    private LoopHarness converged() throws Exception {
        harness = new LoopHarness(LoopHarness.Options.standard().withGuards()).started();
        String overlay = Files.readString(harness.fleet.root().resolve("repo/fleetward.yaml"));
        String withHealth = overlay.replaceFirst("(?m)^  galena:\\n", "  galena:\n    health: [\"" + HEALTH + "\"]\n");
        assertThat(withHealth).as("the reference overlay declares galena").isNotEqualTo(overlay);
        harness.fleet.commit("fleetward.yaml", withHealth, "galena: health check");
        harness.fetchAndSettle();
        return harness;
    }

    @Test
    void aHealthyDeployPassesTheDefaultCheckAndTheHostsOwn() throws Exception {
        LoopHarness h = converged();
        int passedBefore = h.deployMetrics.count("health system passed");
        String revision = h.fleet.touch(GALENA, "galena: open port 443");

        h.fetchAndSettle();

        assertThat(h.deploymentsOf("system:galena").get(0).outcome()).isEqualTo(DeploymentOutcome.SUCCEEDED);
        assertThat(h.view("system:galena").status()).isEqualTo(TargetStatus.IN_SYNC);
        assertThat(h.machines.system("galena")).isEqualTo(InMemoryMachines.systemPath("galena", revision));
        assertThat(h.deployMetrics.count("health system passed") - passedBefore)
                .as("true over a fresh connection, then galena's systemctl check").isEqualTo(2);
        assertThat(h.deployMetrics.count("rollback system succeeded")).isZero();
    }

    @Test
    void aFailedHealthCheckRollsBackAndTheRevisionIsNotDeployedThereAgain() throws Exception {
        LoopHarness h = converged();
        String before = h.machines.system("galena");
        String bad = h.fleet.touch(GALENA, "galena: a service that crashes");
        h.machines.failHealthAt("galena", bad);

        h.fetchAndSettle();

        DeploymentRecord rolled = h.deploymentsOf("system:galena").get(0);
        assertThat(rolled.outcome()).isEqualTo(DeploymentOutcome.ROLLED_BACK);
        assertThat(rolled.revision()).isEqualTo(bad);
        assertThat(h.machines.system("galena")).as("back at the path it ran before").isEqualTo(before);
        TargetView view = h.view("system:galena");
        assertThat(view.status()).isEqualTo(TargetStatus.FAILED);
        assertThat(view.reason()).startsWith("rolled back to " + StorePath.nameOf(before) + ": `" + HEALTH
                + "` failed: degraded");
        assertThat(view.reason()).contains("not deployed at " + bad.substring(0, 7) + " again");
        assertThat(h.deployMetrics.count("health system failed")).isEqualTo(1);
        assertThat(h.deployMetrics.count("rollback system succeeded")).isEqualTo(1);
        assertThat(h.deployMetrics.count("deployment system ROLLED_BACK")).isEqualTo(1);

        int deploys = h.machines.systemDeploys("galena");
        h.passes.advance(Duration.ofHours(2));
        h.fetchAndSettle();
        assertThat(h.machines.systemDeploys("galena")).as("no retry at the revision that rolled back").isEqualTo(deploys);
        assertThat(h.view("system:galena").status()).isEqualTo(TargetStatus.FAILED);

        String fixed = h.fleet.touch(GALENA, "galena: fix the service");
        h.fetchAndSettle();
        assertThat(h.view("system:galena").status()).isEqualTo(TargetStatus.IN_SYNC);
        assertThat(h.machines.system("galena")).isEqualTo(InMemoryMachines.systemPath("galena", fixed));
    }

    @Test
    void aRevisionThatRolledBackStaysHeldAfterARestart() throws Exception {
        LoopHarness h = converged();
        String before = h.machines.system("galena");
        String bad = h.fleet.touch(GALENA, "galena: a service that crashes");
        h.machines.failHealthAt("galena", bad);
        h.fetchAndSettle();
        int deploys = h.machines.systemDeploys("galena");

        try (ReconcileLoop restarted = h.restartedLoop()) {
            restarted.start();
            h.settle();

            assertThat(h.machines.systemDeploys("galena")).as("still held after a restart").isEqualTo(deploys);
            TargetView galena = restarted.target(TargetId.system("galena")).orElseThrow();
            assertThat(galena.status()).isEqualTo(TargetStatus.FAILED);
            assertThat(galena.reason()).startsWith("rolled back to " + StorePath.nameOf(before));
        }
    }

    @Test
    void aRollbackThatFailsNeedsAPersonAndIsNotRetried() throws Exception {
        LoopHarness h = converged();
        String before = h.machines.system("galena");
        String bad = h.fleet.touch(GALENA, "galena: a service that crashes");
        h.machines.failHealthAt("galena", bad);
        h.machines.failRollbacks("galena", true);

        h.fetchAndSettle();

        DeploymentRecord failed = h.deploymentsOf("system:galena").get(0);
        assertThat(failed.outcome()).isEqualTo(DeploymentOutcome.FAILED);
        assertThat(failed.reason()).contains("rollback to").contains("the rollback command error: path '" + before + "' is not valid")
                .endsWith("the machine needs a person");
        assertThat(h.machines.system("galena")).isEqualTo(InMemoryMachines.systemPath("galena", bad));
        assertThat(h.deployMetrics.count("rollback system failed")).isEqualTo(1);

        int deploys = h.machines.systemDeploys("galena");
        h.passes.advance(Duration.ofHours(2));
        h.fetchAndSettle();
        assertThat(h.machines.systemDeploys("galena")).isEqualTo(deploys);
        assertThat(h.view("system:galena").reason()).contains("the machine needs a person");
    }

    @Test
    void missingVarsFailTheDeploymentBeforeAnythingReachesTheHost() throws Exception {
        LoopHarness h = converged();
        String before = h.machines.system("galena");
        int deploys = h.machines.systemDeploys("galena");
        h.machines.varsMissing("galena", true);
        h.fleet.touch(GALENA, "galena: a new service with a secret");

        h.fetchAndSettle();

        DeploymentRecord failed = h.deploymentsOf("system:galena").get(0);
        assertThat(failed.outcome()).isEqualTo(DeploymentOutcome.FAILED);
        assertThat(failed.reason()).startsWith(
                "vars missing for galena: run 'clan vars generate galena' and commit the result");
        assertThat(h.machines.systemDeploys("galena")).as("clan machines update never ran").isEqualTo(deploys);
        assertThat(h.machines.system("galena")).isEqualTo(before);
        assertThat(h.view("system:galena").status()).isEqualTo(TargetStatus.FAILED);
    }

    @Test
    void filesTheDeployLeavesInTheCheckoutAreReportedAndCounted() throws Exception {
        LoopHarness h = converged();
        h.machines.generateVars("galena", true);
        h.fleet.touch(GALENA, "galena: a new service with a generated key");

        h.fetchAndSettle();

        String file = "vars/per-machine/galena/openssh/ssh.id_ed25519.pub/value";
        DeploymentRecord deployed = h.deploymentsOf("system:galena").get(0);
        assertThat(deployed.outcome()).isEqualTo(DeploymentOutcome.SUCCEEDED);
        assertThat(deployed.reason()).contains("1 generated file(s) not committed (lost with the checkout): " + file);
        assertThat(h.view("system:galena").status()).isEqualTo(TargetStatus.IN_SYNC);
        assertThat(h.view("system:galena").reason()).endsWith("1 generated file(s) not committed (lost with the checkout): "
                + file);
        assertThat(Files.readString(Path.of(deployed.logFile()))).contains("not committed and lost with it: " + file);
        assertThat(h.deployMetrics.count("uncommitted")).isEqualTo(1);
        assertThat(h.view("system:cinnabar").reason()).doesNotContain("not committed");
    }

    @Test
    void aRequestedRollbackGoesBackToThePathBeforeTheLastDeploymentAndHoldsTheRevision() throws Exception {
        LoopHarness h = converged();
        TargetId galena = TargetId.system("galena");
        assertThatThrownBy(() -> operator(h, () -> h.controls.rollback(galena)))
                .hasCauseInstanceOf(ControlException.class)
                .hasMessageContaining("path to roll back to is not known");
        String before = h.machines.system("galena");
        String revision = h.fleet.touch(GALENA, "galena: open port 443");
        h.fetchAndSettle();
        assertThat(h.machines.system("galena")).isEqualTo(InMemoryMachines.systemPath("galena", revision));

        operator(h, () -> h.controls.rollback(galena));

        DeploymentRecord rolled = h.deploymentsOf("system:galena").get(0);
        assertThat(rolled.trigger()).isEqualTo("rollback");
        assertThat(rolled.outcome()).isEqualTo(DeploymentOutcome.ROLLED_BACK);
        assertThat(rolled.reason()).isEqualTo("rolled back to " + StorePath.nameOf(before) + " on request");
        assertThat(h.machines.system("galena")).isEqualTo(before);
        int deploys = h.machines.systemDeploys("galena");
        h.passes.advance(Duration.ofHours(1));
        h.fetchAndSettle();
        assertThat(h.machines.systemDeploys("galena")).as("the revision rolled back from waits for a new one")
                .isEqualTo(deploys);
        assertThat(h.view("system:galena").status()).isEqualTo(TargetStatus.FAILED);
    }

    private static void operator(LoopHarness h, Runnable request) {
        h.passes.runUntilIdle();
        CompletableFuture<Void> call = CompletableFuture.runAsync(request);
        await().atMost(Duration.ofSeconds(5)).until(h.passes::hasWork);
        h.passes.runUntilIdle();
        call.join();
    }
}
