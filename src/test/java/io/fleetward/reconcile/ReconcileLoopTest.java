package io.fleetward.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fleetward.FleetApi;
import io.fleetward.InMemoryMachines;
import io.fleetward.execute.DeploymentOutcome;
import io.fleetward.fleet.CommitId;
import io.fleetward.fleet.StorePath;
import io.fleetward.fleet.TargetId;
import io.fleetward.observe.HostReport;
import io.fleetward.store.DeploymentRecord;
import io.fleetward.store.StoreException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The loop's rules on a whole pass, without Quarkus or real time: the reference fleet's git
 * repository, machines in memory, passes run by the test ({@link LoopHarness}).
 */
class ReconcileLoopTest {
    private LoopHarness harness;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    private LoopHarness converged() {
        harness = new LoopHarness().started();
        return harness;
    }

    @Test
    void firstConvergenceDeploysEveryTargetOnceAndBringsItInSync() {
        LoopHarness h = converged();
        String head = h.source.revision().orElseThrow();

        assertThat(h.loop.targets()).extracting(v -> v.target().id().toString())
                .containsExactlyElementsOf(FleetApi.REFERENCE_TARGETS);
        assertThat(h.loop.targets()).allSatisfy(view -> {
            assertThat(view.status()).as(view.target().id() + ": " + view.reason()).isEqualTo(TargetStatus.IN_SYNC);
            assertThat(view.deployedRevision()).isEqualTo(head);
        });
        for (String id : FleetApi.REFERENCE_TARGETS) {
            assertThat(h.deploymentsOf(id)).extracting(DeploymentRecord::outcome)
                    .containsExactly(DeploymentOutcome.SUCCEEDED);
        }
        assertThat(h.machines.system("galena")).isEqualTo(InMemoryMachines.systemPath("galena", head));
        assertThat(h.loop.plan().deployments()).isEmpty();
    }

    @Test
    void aCommitToOneHostFolderRedeploysOnlyThatHost() {
        LoopHarness h = converged();
        int before = h.deploymentCount();
        String revision = h.fleet.touch("modules/machines/nixos/galena/default.nix", "galena: open port 443");

        h.fetchAndSettle();

        assertThat(h.deploymentCount()).isEqualTo(before + 1);
        assertThat(h.deploymentsOf("system:galena").get(0).revision()).isEqualTo(revision);
        assertThat(h.view("system:galena").deployedRevision()).isEqualTo(revision);
        assertThat(h.view("system:cinnabar").status()).isEqualTo(TargetStatus.IN_SYNC);
        assertThat(h.view("system:cinnabar").reason()).startsWith("no relevant change since");
    }

    @Test
    void anImpactSectionAppliesFromTheCommitsAfterTheOneThatAddsIt() throws Exception {
        LoopHarness h = converged();
        int before = h.deploymentCount();
        String overlay = Files.readString(h.fleet.root().resolve("repo/fleetward.yaml"));
        h.fleet.commit("fleetward.yaml", overlay + "impact:\n  ignore: [bun.lock]\n", "ignore bun.lock");
        String bumped = h.fleet.commit("bun.lock", "lock 1\n", "bump bun.lock");

        h.fetchAndSettle();

        assertThat(h.deploymentCount()).as("judged by the rules before the section: bun.lock is no ignored path")
                .isEqualTo(before + FleetApi.REFERENCE_TARGETS.size());
        assertThat(h.view("system:galena").deployedRevision()).isEqualTo(bumped);

        h.fleet.commit("bun.lock", "lock 2\n", "bump bun.lock again");
        h.fetchAndSettle();

        assertThat(h.deploymentCount()).as("the deployed revision's section ignores bun.lock")
                .isEqualTo(before + FleetApi.REFERENCE_TARGETS.size());
        assertThat(h.view("system:galena").reason()).startsWith("no relevant change since");
    }

    @Test
    void anOutOfBandSwitchIsDetectedWithinOneProbeIntervalAndReconciled() {
        LoopHarness h = converged();
        h.machines.switchByHand("cinnabar", "/nix/store/0000000000000000000000000000000a-nixos-system-cinnabar-hand");

        h.passes.advance(LoopSettings.DEFAULT_PROBE_INTERVAL);

        List<DeploymentRecord> cinnabar = h.deploymentsOf("system:cinnabar");
        assertThat(cinnabar).hasSize(2);
        assertThat(cinnabar.get(0).outcome()).isEqualTo(DeploymentOutcome.SUCCEEDED);
        assertThat(h.machines.system("cinnabar")).doesNotEndWith("-hand");
        assertThat(h.view("system:cinnabar").status()).isEqualTo(TargetStatus.IN_SYNC);
    }

    @Test
    void aFailingDeployBacksOffThenGivesUpUntilTheRevisionMoves() {
        LoopHarness h = converged();
        h.machines.failDeploys("electrum", true);
        h.fleet.touch("modules/machines/nixos/electrum/default.nix", "electrum: new kernel");

        h.fetchAndSettle();
        assertThat(h.deploymentsOf("system:electrum")).hasSize(2);
        assertThat(h.view("system:electrum").status()).isEqualTo(TargetStatus.FAILED);
        assertThat(h.view("system:electrum").reason()).contains("exited 1").contains("retry 2 at");

        h.passes.advance(Duration.ofSeconds(5)); // attempt 2 after the initial delay
        assertThat(h.deploymentsOf("system:electrum")).hasSize(3);
        h.passes.advance(Duration.ofSeconds(9));
        assertThat(h.deploymentsOf("system:electrum")).as("attempt 3 waits 10s").hasSize(3);
        h.passes.advance(Duration.ofSeconds(1));
        assertThat(h.deploymentsOf("system:electrum")).hasSize(4);
        assertThat(h.view("system:electrum").reason()).contains("gave up after 3 attempts");

        h.passes.advance(Duration.ofHours(1));
        h.fetchAndSettle();
        assertThat(h.deploymentsOf("system:electrum")).as("no attempt after giving up").hasSize(4);

        h.machines.failDeploys("electrum", false);
        String fixed = h.fleet.touch("modules/machines/nixos/electrum/default.nix", "electrum: fix the kernel");
        h.fetchAndSettle();
        assertThat(h.view("system:electrum").status()).isEqualTo(TargetStatus.IN_SYNC);
        assertThat(h.view("system:electrum").deployedRevision()).isEqualTo(fixed);
    }

    @Test
    void aSuspendedTargetRefusesSyncAndIsNotDeployedUntilResumed() {
        LoopHarness h = converged();
        TargetId electrum = TargetId.system("electrum");
        operator(h, () -> h.controls.suspend(electrum, "disk replacement"));
        assertThat(h.view("system:electrum").status()).isEqualTo(TargetStatus.SUSPENDED);
        assertThatThrownBy(() -> h.controls.sync(electrum)).isInstanceOf(ControlException.class)
                .hasMessageContaining("suspended");

        String revision = h.fleet.touch("modules/machines/nixos/electrum/default.nix", "electrum: new kernel");
        h.fetchAndSettle();
        assertThat(h.deploymentsOf("system:electrum")).hasSize(1);
        assertThat(h.loop.plan().deferred()).contains(new Deferral(electrum, "suspended"));

        operator(h, () -> h.controls.resume(electrum));
        assertThat(h.view("system:electrum").deployedRevision()).isEqualTo(revision);
        assertThat(h.deploymentsOf("system:electrum")).hasSize(2);
    }

    @Test
    void aSyncAcceptedJustBeforeItsTargetStartsDeployingRunsOneDeploymentNotTwo() {
        harness = new LoopHarness(LoopHarness.Options.standard().withDeploys(ManualExecutor.queued()))
                .started();
        LoopHarness h = harness;
        h.settle();
        String revision = h.fleet.touch("modules/machines/nixos/galena/default.nix", "galena: open port 443");
        // The operator's sync is checked against the last snapshot, where galena is still in sync; the fetch
        // that will start galena's deployment comes in meanwhile. The pass applies the sync first, then plans.
        CompletableFuture<Void> sync = CompletableFuture.runAsync(() -> h.controls.sync(TargetId.system("galena")));
        await().atMost(Duration.ofSeconds(5)).until(h.passes::hasWork);
        h.loop.request("test", true);
        h.passes.runUntilIdle();
        sync.join();
        assertThat(h.view("system:galena").status()).isEqualTo(TargetStatus.DEPLOYING);

        h.settle();

        List<DeploymentRecord> galena = h.deploymentsOf("system:galena");
        assertThat(galena).hasSize(2);
        assertThat(galena.get(0).revision()).isEqualTo(revision);
        assertThat(galena.get(0).trigger()).contains("sync system:galena");
        assertThat(h.view("system:galena").status()).isEqualTo(TargetStatus.IN_SYNC);
    }

    @Test
    void aDeploymentThatThrowsEndsFailedAndIsRetriedNotLeftDeploying() {
        AtomicBoolean storeDown = new AtomicBoolean();
        harness = new LoopHarness(LoopHarness.Options.standard().withWrappedDeploys(real -> request -> {
            if (storeDown.get()) {
                throw new StoreException("recording the deployment's start failed: connection refused", null);
            }
            return real.deploy(request);
        })).started();
        LoopHarness h = harness;
        storeDown.set(true);
        h.fleet.touch("modules/machines/nixos/galena/default.nix", "galena: open port 443");

        h.fetchAndSettle();
        TargetView galena = h.view("system:galena");
        assertThat(galena.status()).isEqualTo(TargetStatus.FAILED);
        assertThat(galena.reason()).contains("deployment failed unexpectedly").contains("connection refused");

        storeDown.set(false);
        h.passes.advance(Duration.ofSeconds(5));
        assertThat(h.view("system:galena").status()).isEqualTo(TargetStatus.IN_SYNC);
    }

    @Test
    void aMachineAlreadyRunningTheDesiredConfigurationIsRecordedUnchangedNotFailed() {
        harness = new LoopHarness();
        LoopHarness h = harness;
        String head = h.fleet.touch("modules/machines/nixos/galena/default.nix", "galena: open port 443");
        // An earlier deployment of the head completed while fleetward was down: the ledger never learnt it.
        h.machines.switchByHand("galena", InMemoryMachines.systemPath("galena", head));

        h.started();
        h.passes.advance(Duration.ofMinutes(10));
        h.fetchAndSettle();

        List<DeploymentRecord> galena = h.deploymentsOf("system:galena");
        assertThat(galena).extracting(DeploymentRecord::outcome).containsExactly(DeploymentOutcome.UNCHANGED);
        assertThat(galena.get(0).reason()).contains("already ran this configuration");
        assertThat(h.view("system:galena").status()).isEqualTo(TargetStatus.IN_SYNC);
        assertThat(h.view("system:galena").deployedRevision()).isEqualTo(head);
    }

    @Test
    void aProbeSentBeforeADeploymentNeverPlansAnotherOne() {
        harness = new LoopHarness(LoopHarness.Options.standard().withReprobes(ManualExecutor.queued()))
                .started();
        LoopHarness h = harness;
        // galena drops off: its scheduled probe runs in the background, without holding up a pass.
        h.machines.unreachable("galena", true);
        h.passes.advance(LoopSettings.DEFAULT_PROBE_INTERVAL);
        h.reprobes.runAll();
        h.passes.runUntilIdle();
        assertThat(h.view("system:galena").status()).isEqualTo(TargetStatus.UNREACHABLE);

        // It checks in from behind NAT with its path: drifted from a new commit, so it is deployed, while
        // the background probe the fetch sent (it was last seen unreachable) is still out.
        h.machines.unreachable("galena", false);
        String before = h.machines.system("galena");
        String revision = h.fleet.touch("modules/machines/nixos/galena/default.nix", "galena: open port 443");
        h.loop.request("test", true);
        h.passes.runUntilIdle();
        assertThat(h.reprobes.pending()).isEqualTo(1);
        h.controls.report(new HostReport("galena", h.clock.instant(), before, null, null, Map.of()));
        h.passes.runUntilIdle();
        assertThat(h.deploymentsOf("system:galena").get(0).revision()).isEqualTo(revision);
        String deployed = h.machines.system("galena");

        // The old probe comes back after the deployment ended, with what it read when it was sent.
        h.machines.switchByHand("galena", before);
        h.reprobes.runAll();
        h.machines.switchByHand("galena", deployed);
        h.passes.runUntilIdle();
        assertThat(h.deploymentsOf("system:galena")).as("the stale probe planned nothing").hasSize(2);
        assertThat(h.view("system:galena").status()).isEqualTo(TargetStatus.IN_SYNC);
    }

    private LoopHarness exact(LoopHarness.Options options) {
        harness = new LoopHarness(options.withExactMode()).started();
        return harness;
    }

    private static final List<String> NIXOS_HOSTS = List.of("cinnabar", "electrum", "galena", "scheelite");
    private static final List<String> DARWIN_HOSTS = List.of("argentum", "blackphos", "rosegold", "stibnite");

    private static String sameAsRunning(LoopHarness h, String host) {
        return "evaluated " + StorePath.nameOf(h.machines.system(host)) + ": same as running, nothing to deploy";
    }

    @Test
    void exactModeDeploysNeverDeployedTargetsWithoutEvaluatingThem() {
        LoopHarness h = exact(LoopHarness.Options.standard());

        assertThat(h.loop.targets()).extracting(TargetView::status).containsOnly(TargetStatus.IN_SYNC);
        assertThat(h.deploymentCount()).isEqualTo(FleetApi.REFERENCE_TARGETS.size());
        assertThat(h.machines.evaluations()).as("nothing runs yet: nothing to compare with").isZero();
    }

    @Test
    void aPassDoesNotWaitForEvaluationsAndATargetWaitingForItsOwnIsNotDeployed() {
        ManualExecutor evaluations = ManualExecutor.queued();
        LoopHarness h = exact(LoopHarness.Options.standard().withEvaluations(evaluations));
        int before = h.deploymentCount();
        String revision = h.fleet.touch("modules/machines/nixos/galena/default.nix", "galena: open port 443");

        h.fetchAndSettle();

        assertThat(h.passes.hasWork()).as("the pass ended").isFalse();
        assertThat(h.view("system:galena").status()).isEqualTo(TargetStatus.UNKNOWN);
        assertThat(h.view("system:galena").reason()).isEqualTo("evaluating " + CommitId.abbreviate(revision));
        assertThat(h.view("system:cinnabar").reason()).as("the rules call it in sync: not evaluated")
                .startsWith("no relevant change since");
        assertThat(h.deploymentCount()).isEqualTo(before);
        ReportOutcome checkIn = h.controls.report(
                new HostReport("cinnabar", h.clock.instant(), h.machines.system("cinnabar"), null, null, Map.of()));
        assertThat(checkIn.observed()).containsExactly(TargetId.system("cinnabar"));

        evaluations.runAll();
        h.settle();

        assertThat(h.machines.evaluations()).isEqualTo(1);
        assertThat(h.deploymentsOf("system:galena").get(0).revision()).isEqualTo(revision);
        assertThat(h.deploymentCount()).isEqualTo(before + 1);
        assertThat(h.view("system:galena").status()).isEqualTo(TargetStatus.IN_SYNC);
    }

    @Test
    void aCommitToASharedFileNoHostUsesRedeploysNothing() {
        LoopHarness h = exact(LoopHarness.Options.standard());
        int before = h.deploymentCount();
        String revision = h.fleet.commit("modules/nixos/tls.nix", "{ security.acme.acceptTerms = true; }\n",
                "a TLS module, used by no host yet");

        h.fetchAndSettle();

        assertThat(h.deploymentCount()).isEqualTo(before);
        for (String host : NIXOS_HOSTS) {
            TargetView view = h.view("system:" + host);
            assertThat(view.status()).as(host).isEqualTo(TargetStatus.IN_SYNC);
            assertThat(view.reason()).as(host).isEqualTo(sameAsRunning(h, host));
            assertThat(h.machines.evaluations(host)).as(host).isEqualTo(1);
        }
        for (String host : DARWIN_HOSTS) {
            assertThat(h.view("system:" + host).reason()).as(host).startsWith("no relevant change since");
            assertThat(h.machines.evaluations(host)).as("the rules call %s in sync: not evaluated", host).isZero();
        }

        // What the machines run was evaluated at this revision: the ledger learned it, nothing is evaluated again.
        h.fetchAndSettle();
        assertThat(h.view("system:galena").reason()).isEqualTo("at desired revision " + CommitId.abbreviate(revision));
        assertThat(h.machines.evaluations()).isEqualTo(NIXOS_HOSTS.size());
        assertThat(h.deploymentCount()).isEqualTo(before);
    }

    @Test
    void aCommitToASharedFileRedeploysExactlyTheHostsThatUseIt() {
        LoopHarness h = exact(LoopHarness.Options.standard());
        h.fleet.commit("modules/nixos/tls.nix", "{ security.acme.acceptTerms = true; }\n", "a TLS module");
        h.fetchAndSettle();
        String galenaConfig = h.fleet.root().resolve("repo/modules/machines/nixos/galena/default.nix").toString();
        h.fleet.commit("modules/machines/nixos/galena/default.nix", read(galenaConfig)
                + "# imports modules/nixos/tls.nix\n", "galena: use the TLS module");
        h.fetchAndSettle();
        int before = h.deploymentCount();
        String galenaBefore = h.machines.system("galena");
        String revision = h.fleet.commit("modules/nixos/tls.nix", "{ security.acme.acceptTerms = false; }\n",
                "TLS: stricter");

        h.fetchAndSettle();

        assertThat(h.deploymentCount()).isEqualTo(before + 1);
        assertThat(h.deploymentsOf("system:galena").get(0).revision()).isEqualTo(revision);
        assertThat(h.machines.system("galena")).isNotEqualTo(galenaBefore);
        assertThat(h.view("system:galena").status()).isEqualTo(TargetStatus.IN_SYNC);
        for (String host : List.of("cinnabar", "electrum", "scheelite")) {
            // Evaluated at this revision, same as running: the ledger learned it (the pass after galena's
            // deployment resolves it from there), and it was not redeployed.
            assertThat(h.machines.evaluations(host)).as(host).isEqualTo(2);
            assertThat(h.view("system:" + host).reason()).as(host)
                    .isEqualTo("at desired revision " + CommitId.abbreviate(revision));
            assertThat(h.deploymentsOf("system:" + host)).as(host).hasSize(1);
        }
    }

    @Test
    void aTargetWhoseEvaluatedPathDiffersShowsBothNamesUntilDeployed() {
        LoopHarness h = exact(LoopHarness.Options.standard());
        operator(h, () -> h.controls.pauseFleet("change freeze"));
        String running = h.machines.system("electrum");
        h.fleet.touch("modules/machines/nixos/electrum/default.nix", "electrum: new kernel");

        h.fetchAndSettle();

        TargetView electrum = h.view("system:electrum");
        assertThat(electrum.status()).isEqualTo(TargetStatus.DRIFTED);
        assertThat(electrum.reason()).matches("fleet paused; evaluated [0-9a-f]{32}-nixos-system-electrum, running "
                + StorePath.nameOf(running));
        assertThat(h.deploymentsOf("system:electrum")).hasSize(1);
    }

    @Test
    void anEvaluationFailureStallsThatTargetOnlyUntilTheRevisionMoves() {
        LoopHarness h = exact(LoopHarness.Options.standard());
        h.machines.failEvaluations("cinnabar", true);
        String cinnabarBefore = h.machines.system("cinnabar");
        int before = h.deploymentCount();
        String revision = h.fleet.touch("modules/nixos/default.nix", "every NixOS host: new sysctl");

        h.fetchAndSettle();

        assertThat(h.deploymentCount()).as("the three others, whose path changed").isEqualTo(before + 3);
        assertThat(h.deploymentsOf("system:cinnabar")).hasSize(1);
        assertThat(h.machines.system("cinnabar")).isEqualTo(cinnabarBefore);
        TargetView cinnabar = h.view("system:cinnabar");
        assertThat(cinnabar.status()).isEqualTo(TargetStatus.UNKNOWN);
        assertThat(cinnabar.reason()).isEqualTo("evaluation at " + CommitId.abbreviate(revision)
                + " failed: exited 1: error: attribute 'nixosConfigurations.cinnabar' missing;"
                + " waiting for a new revision");
        for (String host : List.of("electrum", "galena", "scheelite")) {
            assertThat(h.view("system:" + host).status()).as(host).isEqualTo(TargetStatus.IN_SYNC);
        }

        h.machines.failEvaluations("cinnabar", false);
        h.fetchAndSettle();
        assertThat(h.machines.evaluations("cinnabar")).as("not evaluated again at the same revision").isEqualTo(1);
        assertThat(h.view("system:cinnabar").reason()).startsWith("evaluation at " + CommitId.abbreviate(revision));

        h.fleet.touch("modules/nixos/default.nix", "every NixOS host: another sysctl");
        h.fetchAndSettle();
        assertThat(h.deploymentsOf("system:cinnabar")).hasSize(2);
        assertThat(h.view("system:cinnabar").status()).isEqualTo(TargetStatus.IN_SYNC);
    }

    @Test
    void evaluatedPathsSurviveARestart() {
        LoopHarness h = exact(LoopHarness.Options.standard());
        operator(h, () -> h.controls.pauseFleet("change freeze"));
        h.fleet.touch("modules/machines/nixos/electrum/default.nix", "electrum: new kernel");
        h.fetchAndSettle();
        String reason = h.view("system:electrum").reason();
        assertThat(reason).contains("evaluated ").contains(", running ");
        assertThat(h.machines.evaluations("electrum")).isEqualTo(1);

        try (ReconcileLoop restarted = h.restartedLoop()) {
            restarted.start();
            h.settle();

            TargetView electrum = restarted.target(TargetId.system("electrum")).orElseThrow();
            assertThat(electrum.reason()).isEqualTo(reason);
            assertThat(electrum.status()).isEqualTo(TargetStatus.DRIFTED);
            assertThat(h.machines.evaluations("electrum")).as("the saved path, not a new evaluation").isEqualTo(1);
        }
    }

    private static String read(String file) {
        try {
            return Files.readString(java.nio.file.Path.of(file));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void dryRunReportsEachDeploymentOncePerRevisionAndActivatesNothing() {
        harness = new LoopHarness(LoopHarness.Options.standard().withDryRun()).started();
        LoopHarness h = harness;

        for (String id : FleetApi.REFERENCE_TARGETS) {
            assertThat(h.deploymentsOf(id)).extracting(DeploymentRecord::outcome)
                    .containsExactly(DeploymentOutcome.DRY_RUN);
        }
        assertThat(h.machines.system("galena")).isNull();
        assertThat(h.loop.targets()).extracting(TargetView::status).containsOnly(TargetStatus.DRIFTED);

        h.fetchAndSettle();
        assertThat(h.deploymentCount()).as("the same revision is not reported again").isEqualTo(10);
        h.fleet.touch("modules/machines/nixos/galena/default.nix", "galena: open port 443");
        h.fetchAndSettle();
        assertThat(h.deploymentCount()).as("every target drifted from the new revision: reported again")
                .isEqualTo(20);
    }

    @Test
    void aBrokenOverlayKeepsTheLastGoodInventoryAndSaysWhy() {
        LoopHarness h = converged();
        String good = h.loop.sourceView(false).inventoryRevision();
        String broken = h.fleet.commit("fleetward.yaml", "hosts:\n  galena:\n    target-hots: root@galena.zt\n",
                "typo in the overlay");

        h.fetchAndSettle();

        SourceView source = h.loop.sourceView(false);
        assertThat(source.revision()).isEqualTo(broken);
        assertThat(source.inventoryRevision()).isEqualTo(good);
        assertThat(source.inventoryError()).contains("fleetward.yaml:3").contains("target-hots");
        assertThat(h.loop.targets()).extracting(v -> v.target().id().toString())
                .containsExactlyElementsOf(FleetApi.REFERENCE_TARGETS);
        assertThat(h.loop.targets()).extracting(TargetView::desiredRevision).containsOnly(good);
        assertThat(h.loop.targets()).extracting(TargetView::status).containsOnly(TargetStatus.IN_SYNC);
    }

    @Test
    void aRefusedRevisionShowsAsAStallUntilAFixedRevisionLands() throws Exception {
        LoopHarness h = converged();
        String good = h.loop.sourceView(false).inventoryRevision();
        String overlay = Files.readString(h.fleet.root().resolve("repo/fleetward.yaml"));
        assertThat(h.metrics.stalled).isFalse();
        List<String> inSync = h.loop.targets().stream().map(TargetView::reason).toList();

        String broken;
        try (CapturedLog log = CapturedLog.of("io.fleetward")) {
            broken = h.fleet.commit("fleetward.yaml", overlay + "  galena: [\n", "unclosed list in the overlay");
            h.fetchAndSettle();
            h.fetchAndSettle(); // passes on the same refused revision neither log nor count it again
            h.loop.request("test", false);
            h.passes.runUntilIdle();

            assertThat(log.warnings(CommitId.abbreviate(broken))).hasSize(1)
                    .allSatisfy(line -> assertThat(line).contains("refused").contains("fleetward.yaml:"));
        }

        SourceView source = h.loop.sourceView(false);
        assertThat(source.inventoryRevision()).isEqualTo(good);
        assertThat(source.inventoryError()).startsWith("fleetward.yaml:");
        assertThat(source.stalled()).isEqualTo(new SourceView.Stalled(broken, source.inventoryError()));
        String stall = "; newer revision " + CommitId.abbreviate(broken) + " refused: " + source.inventoryError();
        // The status is still what drift says; each reason is the one before, plus the stall.
        assertThat(h.loop.targets()).extracting(TargetView::status).containsOnly(TargetStatus.IN_SYNC);
        assertThat(h.loop.targets()).extracting(TargetView::reason)
                .containsExactlyElementsOf(inSync.stream().map(reason -> reason + stall).toList());
        assertThat(h.view("system:galena").reason()).startsWith("at desired revision " + CommitId.abbreviate(good));
        assertThat(h.metrics.stalled).isTrue();
        assertThat(h.metrics.refusals).containsExactly(Refusal.INVENTORY);

        // Another broken revision is another refusal.
        String stillBroken = h.fleet.touch("fleetward.yaml", "still broken");
        h.fetchAndSettle();
        assertThat(h.loop.sourceView(false).stalled().revision()).isEqualTo(stillBroken);
        assertThat(h.view("system:galena").reason()).contains("newer revision " + CommitId.abbreviate(stillBroken)
                + " refused: ");
        assertThat(h.metrics.refusals).containsExactly(Refusal.INVENTORY, Refusal.INVENTORY);

        String fixed = h.fleet.commit("fleetward.yaml", overlay, "overlay fixed");
        h.fetchAndSettle();

        source = h.loop.sourceView(false);
        assertThat(source.inventoryRevision()).isEqualTo(fixed);
        assertThat(source.stalled()).isNull();
        assertThat(source.inventoryError()).isNull();
        assertThat(h.loop.targets()).extracting(TargetView::desiredRevision).containsOnly(fixed);
        assertThat(h.loop.targets()).allSatisfy(view -> {
            assertThat(view.status()).isEqualTo(TargetStatus.IN_SYNC);
            assertThat(view.reason()).doesNotContain("refused");
        });
        assertThat(h.metrics.stalled).isFalse();
        assertThat(h.metrics.refusals).hasSize(2);
    }

    @Test
    void aFirstInventoryThatIsRefusedStallsWithNoTargetsUntilItIsFixed() throws Exception {
        harness = new LoopHarness();
        LoopHarness h = harness;
        String overlay = Files.readString(h.fleet.root().resolve("repo/fleetward.yaml"));
        String broken = h.fleet.commit("fleetward.yaml", "hosts: [\n", "broken overlay");

        try (CapturedLog log = CapturedLog.of("io.fleetward")) {
            h.started();
            h.fetchAndSettle();

            assertThat(log.warnings(CommitId.abbreviate(broken))).hasSize(1);
            assertThat(log.warnings("no inventory could be read yet")).hasSize(1);
        }
        assertThat(h.loop.targets()).isEmpty();
        assertThat(h.loop.sourceView(false).stalled().revision()).isEqualTo(broken);
        assertThat(h.metrics.stalled).isTrue();
        assertThat(h.metrics.refusals).containsExactly(Refusal.INVENTORY);

        String fixed = h.fleet.commit("fleetward.yaml", overlay, "overlay fixed");
        h.fetchAndSettle();

        assertThat(h.loop.sourceView(false).stalled()).isNull();
        assertThat(h.loop.targets()).extracting(TargetView::desiredRevision).containsOnly(fixed);
        assertThat(h.metrics.stalled).isFalse();
    }

    @Test
    void aForcePushBackToTheRevisionDeployedFromEndsTheStall() throws Exception {
        LoopHarness h = converged();
        String good = h.source.revision().orElseThrow();
        h.fleet.commit("fleetward.yaml", "hosts: [\n", "broken overlay");
        h.fetchAndSettle();
        assertThat(h.loop.sourceView(false).stalled()).isNotNull();

        try (Git git = Git.open(h.fleet.root().resolve("repo").toFile())) {
            git.reset().setMode(ResetCommand.ResetType.HARD).setRef(good).call();
        }
        h.fetchAndSettle();

        assertThat(h.loop.sourceView(false).revision()).isEqualTo(good);
        assertThat(h.loop.sourceView(false).stalled()).isNull();
        assertThat(h.loop.targets()).extracting(TargetView::reason).noneMatch(reason -> reason.contains("refused"));
        assertThat(h.metrics.stalled).isFalse();
    }

    @Test
    void aCheckInOfAHostThatWasAwayGivesItsUsedUpAttemptsAFreshStart() {
        LoopHarness h = converged();
        h.machines.failDeploys("galena", true);
        String revision = h.fleet.touch("modules/machines/nixos/galena/default.nix", "galena: new kernel");
        h.fetchAndSettle();
        h.passes.advance(Duration.ofSeconds(15));
        assertThat(h.view("system:galena").reason()).contains("gave up after 3 attempts");
        h.machines.failDeploys("galena", false);

        // No new commit: the check-in alone makes fleetward try again.
        ReportOutcome outcome = h.controls.report(new HostReport("galena", h.clock.instant(),
                h.machines.system("galena"), null, null, Map.of()));
        assertThat(outcome.drifted()).containsExactly(TargetId.system("galena"));
        h.passes.runUntilIdle();

        assertThat(h.view("system:galena").status()).isEqualTo(TargetStatus.IN_SYNC);
        assertThat(h.deploymentsOf("system:galena").get(0).revision()).isEqualTo(revision);
        assertThat(h.deploymentsOf("system:galena").get(0).trigger()).contains("check-in galena");
    }

    @Test
    void anInventoryCommandThatFailsIsReadAgainLaterNotRefusedForGood() {
        LoopHarness h = converged();
        h.machines.failInventory(true);
        String revision = h.fleet.touch("modules/machines/nixos/galena/default.nix", "galena: open port 443");

        h.fetchAndSettle();
        assertThat(h.loop.sourceView(false).inventoryRevision()).isNotEqualTo(revision);
        assertThat(h.view("system:galena").reason()).contains("newer revision " + CommitId.abbreviate(revision))
                .contains("cannot connect to the nix daemon");

        h.machines.failInventory(false);
        h.passes.advance(Duration.ofSeconds(29));
        h.fetchAndSettle();
        assertThat(h.loop.sourceView(false).inventoryRevision()).as("not read again before 30s").isNotEqualTo(revision);
        h.passes.advance(Duration.ofSeconds(1));
        h.fetchAndSettle();
        assertThat(h.loop.sourceView(false).inventoryRevision()).isEqualTo(revision);
        assertThat(h.view("system:galena").deployedRevision()).isEqualTo(revision);
        assertThat(h.view("system:galena").reason()).doesNotContain("refused");
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
