package io.fleetward.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetward.ProcessTrees;
import io.fleetward.SimulatedFleet;
import io.fleetward.execute.DeploymentOutcome;
import io.fleetward.fleet.TargetId;
import io.fleetward.reconcile.ReconcileLoop;
import io.fleetward.reconcile.TargetStatus;
import io.fleetward.store.DeploymentRecord;
import io.fleetward.transport.ProcessGroup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * fleetward's own crash: {@code kill -9} of the daemon while a system deploy runs on the controller.
 * The deploy command and its children outlive the daemon's JVM; the next start must end them before
 * it deploys the host again, and the deployment's row must say so. Everything is real: a JVM of its
 * own for the daemon ({@link DeployingDaemon}), its deployer and local transport, the H2 file both
 * processes open one after the other, the restarted loop, and a tree of processes in /proc.
 */
class KillDuringDeployTest {
    private static final TargetId GALENA = TargetId.system("galena");

    private final SimulatedFleet fleet = SimulatedFleet.create();
    private final List<Long> started = new ArrayList<>();
    private Process daemon;
    private SimulatedController restarted;
    private ReconcileLoop loop;

    @AfterEach
    void cleanUp() {
        if (daemon != null) {
            daemon.destroyForcibly();
        }
        if (loop != null) {
            loop.close();
        }
        if (restarted != null) {
            restarted.close();
        }
        started.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    @Test
    void aDeployCommandThatOutlivedTheKilledDaemonIsEndedBeforeItsHostIsDeployedAgain() throws Exception {
        Path root = fleet.root();
        Path faults = SimulatedController.faults(root);
        SimulatedController.installGuard(root);
        Files.writeString(faults.resolve("galena.hang"), "");
        Path out = faults.resolve("daemon.out");
        Path pidFile = faults.resolve("galena.pids");

        daemon = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), DeployingDaemon.class.getName(), root.toString(),
                GALENA.host())
                .redirectOutput(out.toFile())
                .redirectError(faults.resolve("daemon.err").toFile())
                .start();
        await("the daemon's deployment row shows the process group of its command").atMost(Duration.ofMinutes(2))
                .until(() -> Files.readString(out).startsWith("recorded ") && Files.exists(pidFile));
        String[] recorded = Files.readString(out).trim().split(" ");
        long deployment = Long.parseLong(recorded[1]);
        long group = Long.parseLong(recorded[2]);
        List<Long> command = Arrays.stream(Files.readString(pidFile).trim().split(" ")).map(Long::valueOf).toList();
        started.addAll(command);
        assertThat(command).as("guard, sleeper, child shell and its sleeper").hasSize(4)
                .allSatisfy(pid -> assertThat(ProcessGroup.groupOf(pid)).isEqualTo(OptionalLong.of(group)));
        assertThat(ProcessGroup.groupOf(daemon.pid())).as("the daemon's own group").isNotEqualTo(OptionalLong.of(group));

        daemon.destroyForcibly(); // SIGKILL: no shutdown hook, no grace period, nothing recorded
        assertThat(daemon.waitFor()).isEqualTo(128 + 9);
        assertThat(command).as("the deploy command outlived the daemon").noneMatch(ProcessTrees::ended);

        restarted = new SimulatedController(root);
        loop = restarted.loop();
        loop.start();
        await("galena deployed again").atMost(Duration.ofMinutes(5)).until(() -> loop.target(GALENA)
                .map(view -> view.status() == TargetStatus.IN_SYNC).orElse(false));

        assertThat(command).as("every process of the old command ended").allMatch(ProcessTrees::ended);
        DeploymentRecord interrupted = restarted.deployments.find(deployment).orElseThrow();
        assertThat(interrupted.outcome()).isEqualTo(DeploymentOutcome.INTERRUPTED);
        assertThat(interrupted.reason()).isEqualTo("fleetward stopped while the deployment ran; its command (process"
                + " group " + group + ") was still running and was ended");
        List<DeploymentRecord> galena = restarted.deployments.list(Optional.of(GALENA), 10);
        assertThat(galena).extracting(DeploymentRecord::outcome)
                .containsExactly(DeploymentOutcome.SUCCEEDED, DeploymentOutcome.INTERRUPTED);
        assertThat(Files.readAllLines(faults.resolve("galena.runs"))).as("the deployments that ran galena's guard")
                .containsExactly(Long.toString(deployment), Long.toString(galena.get(0).id()));
        assertThat(faults.resolve("overlaps")).as("a deploy of galena that started while an earlier one ran")
                .doesNotExist();
    }
}
