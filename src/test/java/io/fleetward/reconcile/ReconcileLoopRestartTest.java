package io.fleetward.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetward.ProcessTrees;
import io.fleetward.execute.Deployer;
import io.fleetward.execute.DeploymentOutcome;
import io.fleetward.fleet.TargetId;
import io.fleetward.store.DeploymentRecord;
import io.fleetward.transport.ProcessGroup;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a crash leaves behind is cleaned up at start; a shutdown stops what runs and says so. */
class ReconcileLoopRestartTest {
    private static final String REVISION = "0123456789abcdef0123456789abcdef01234567";
    private LoopHarness harness;
    private final List<ProcessGroup> started = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void close() throws InterruptedException {
        if (harness != null) {
            harness.close();
        }
        for (ProcessGroup group : started) {
            group.endIfCarrying("FLEETWARD_TEST_DIR", dir.toString(), Duration.ZERO);
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
    void aRecordedCommandStillRunningIsEndedBeforeAnyDeploymentStarts() throws Exception {
        List<Boolean> oldCommandRanAtDeploy = new CopyOnWriteArrayList<>();
        AtomicReference<ProcessGroup> old = new AtomicReference<>();
        harness = new LoopHarness(LoopHarness.Options.standard().withWrappedDeploys(deployer -> request -> {
            oldCommandRanAtDeploy.add(old.get().alive());
            return deployer.deploy(request);
        }));
        LoopHarness h = harness;
        long crashed = h.deployments.begin(TargetId.system("galena"), REVISION, "timer", h.clock.instant(), null);
        old.set(startCommand(crashed, "sleep 600 & sleep 600 &"));
        h.deployments.attachProcessGroup(crashed, old.get().id());
        List<Long> members = old.get().members();

        h.started();

        assertThat(members).hasSize(3).allMatch(ProcessTrees::ended);
        DeploymentRecord record = h.deployments.find(crashed).orElseThrow();
        assertThat(record.outcome()).isEqualTo(DeploymentOutcome.INTERRUPTED);
        assertThat(record.reason()).isEqualTo("fleetward stopped while the deployment ran; its command (process group "
                + old.get().id() + ") was still running and was ended");
        assertThat(oldCommandRanAtDeploy).hasSize(10).containsOnly(false);
        assertThat(h.view("system:galena").status()).isEqualTo(TargetStatus.IN_SYNC);
    }

    @Test
    void aRecordedCommandThatIgnoresSigtermIsKilledAfterTheGracePeriod() throws Exception {
        harness = new LoopHarness();
        LoopHarness h = harness;
        long crashed = h.deployments.begin(TargetId.system("galena"), REVISION, "timer", h.clock.instant(), null);
        ProcessGroup old = startCommand(crashed, "trap '' TERM; sleep 600 &");
        h.deployments.attachProcessGroup(crashed, old.id());

        h.started();

        assertThat(old.alive()).isFalse();
        assertThat(h.deployments.find(crashed).orElseThrow().reason()).isEqualTo("fleetward stopped while the"
                + " deployment ran; its command (process group " + old.id() + ") was still running, outlived SIGTERM"
                + " and was killed");
    }

    @Test
    void aRecordedGroupThatEndedOrNowRunsSomethingElseIsNotSignalled() throws Exception {
        harness = new LoopHarness();
        LoopHarness h = harness;
        long ended = h.deployments.begin(TargetId.system("galena"), REVISION, "timer", h.clock.instant(), null);
        Process finished = new ProcessBuilder("setsid", "/bin/sh", "-c", "true").start();
        finished.waitFor();
        ProcessGroup gone = ProcessGroup.of(finished.pid());
        h.deployments.attachProcessGroup(ended, gone.id());
        long reused = h.deployments.begin(TargetId.system("scheelite"), REVISION, "timer", h.clock.instant(), null);
        ProcessGroup other = startCommand(reused + 100, "sleep 600 &");
        h.deployments.attachProcessGroup(reused, other.id());
        List<Long> others = other.members();

        h.started();

        assertThat(h.deployments.find(ended).orElseThrow().reason()).isEqualTo("fleetward stopped while the"
                + " deployment ran; its command (process group " + gone.id() + ") had already ended");
        assertThat(h.deployments.find(reused).orElseThrow().reason()).isEqualTo("fleetward stopped while the"
                + " deployment ran; process group " + other.id() + " no longer runs its command (none of its"
                + " processes is deployment " + reused + "'s): left alone");
        assertThat(other.members()).as("not signalled").containsExactlyInAnyOrderElementsOf(others);
    }

    @Test
    void aCommandThatCannotBeEndedHoldsBackEveryDeploymentAndIsTriedAgain() {
        AtomicReference<LeftoverCommands.Found> found = new AtomicReference<>(LeftoverCommands.Found.STILL_RUNNING);
        List<Long> asked = new CopyOnWriteArrayList<>();
        harness = new LoopHarness(LoopHarness.Options.standard().withLeftovers((deployment, group) -> {
            asked.add(group);
            return found.get();
        }));
        LoopHarness h = harness;
        long crashed = h.deployments.begin(TargetId.system("galena"), REVISION, "timer", h.clock.instant(), null);
        h.deployments.attachProcessGroup(crashed, 4321);

        h.started();

        assertThat(asked).containsExactly(4321L);
        assertThat(h.deploymentCount()).as("nothing deployed").isEqualTo(1);
        assertThat(h.deployments.find(crashed).orElseThrow().outcome()).isEqualTo(DeploymentOutcome.RUNNING);

        found.set(LeftoverCommands.Found.TERMINATED);
        h.passes.advance(RestoreState.RETRY);
        h.settle();

        assertThat(asked).containsExactly(4321L, 4321L);
        assertThat(h.deployments.find(crashed).orElseThrow().outcome()).isEqualTo(DeploymentOutcome.INTERRUPTED);
        h.fetchAndSettle(); // the poll timer's next fetch: the retried pass did not fetch
        assertThat(h.deploymentsOf("system:galena")).extracting(DeploymentRecord::outcome)
                .containsExactly(DeploymentOutcome.SUCCEEDED, DeploymentOutcome.INTERRUPTED);
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

    /** Deployment {@code deployment}'s command as it would run: {@code commands} in a group of their own. */
    private ProcessGroup startCommand(long deployment, String commands) throws IOException {
        ProcessGroup group = ProcessTrees.startGroup(dir, commands, Map.of(Deployer.DEPLOYMENT_VARIABLE,
                Long.toString(deployment), "FLEETWARD_TEST_DIR", dir.toString()));
        started.add(group);
        return group;
    }
}
