package io.fleetward.faults;

import static org.awaitility.Awaitility.await;

import io.fleetward.execute.DeploymentRequest;
import io.fleetward.fleet.InventoryLoader;
import io.fleetward.fleet.Target;
import io.fleetward.fleet.TargetId;
import io.fleetward.reconcile.UnfinishedDeployments;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The daemon that gets killed, run in a JVM of its own by {@link KillDuringDeployTest}: on the
 * simulated controller in {@code args[0]} it fetches the source and deploys {@code system:<args[1]>}
 * through the real deployer and local transport, and once the deployment's row shows the process
 * group of its command it prints {@code recorded <deployment> <group>} and waits for the kill.
 */
public final class DeployingDaemon {
    private DeployingDaemon() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        TargetId id = TargetId.system(args[1]);
        SimulatedController controller = new SimulatedController(root);
        String head = controller.source.fetch().revision();
        Target target = new InventoryLoader("fleetward.yaml", Optional.empty(), "local")
                .load(controller.source.files(head), Optional.empty()).targets().stream()
                .filter(t -> t.id().equals(id)).findFirst().orElseThrow();
        Thread deployment = new Thread(() -> controller.deployer.deploy(
                new DeploymentRequest(target, head, "crash test", "test", 1, false, null)), "deployment");
        deployment.start();

        UnfinishedDeployments.Unfinished running = await("the row shows the command's process group")
                .atMost(Duration.ofMinutes(5))
                .until(() -> controller.deployments.running().stream().filter(u -> u.processGroup() != null)
                        .findFirst(), Optional::isPresent)
                .orElseThrow();
        System.out.println("recorded " + running.id() + " " + running.processGroup());
        System.out.flush();
        deployment.join();
    }
}
