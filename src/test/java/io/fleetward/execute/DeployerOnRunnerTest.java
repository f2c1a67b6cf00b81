package io.fleetward.execute;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetward.SimulatedFleet;
import io.fleetward.Wiring;
import io.fleetward.config.CommandsConfig;
import io.fleetward.config.PlainConfig;
import io.fleetward.e2e.E2eEnvironment;
import io.fleetward.fleet.Inventory;
import io.fleetward.fleet.InventoryLoader;
import io.fleetward.fleet.Target;
import io.fleetward.fleet.TargetId;
import io.fleetward.observe.Prober;
import io.fleetward.source.GitSource;
import io.fleetward.source.SourceSettings;
import io.fleetward.store.Database;
import io.fleetward.store.DeploymentStore;
import io.fleetward.store.LedgerStore;
import io.fleetward.transport.CommandTemplate;
import io.fleetward.transport.LocalTransport;
import io.fleetward.transport.Transports;
import io.fleetward.transport.ssh.DefaultSshSettings;
import io.fleetward.transport.ssh.HostKeyPolicy;
import io.fleetward.transport.ssh.OpenSshServer;
import io.fleetward.transport.ssh.SshMetrics;
import io.fleetward.transport.ssh.SshTransport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A system deploy on a deployer host ({@code fleetward.deploy.system-runner=ssh://...}): the
 * controller streams its checkout of the desired revision to the runner over a real sshd, and the
 * deploy command runs there, in that checkout.
 */
class DeployerOnRunnerTest {
    @TempDir
    static Path scratch;

    private static SimulatedFleet fleet;
    private static OpenSshServer runner;
    private static SshTransport ssh;
    private static Database database;
    private static GitSource source;

    @BeforeAll
    static void start() throws Exception {
        E2eEnvironment.assumeReady();
        fleet = SimulatedFleet.create();
        runner = OpenSshServer.start(scratch.resolve("sshd"), "127.0.0.61");
        Path key = OpenSshServer.keygen("ed25519", scratch.resolve("id_ed25519"));
        runner.authorize(Path.of(key + ".pub"));
        Path knownHosts = scratch.resolve("known_hosts");
        runner.writeKnownHosts(knownHosts);
        ssh = new SshTransport(DefaultSshSettings.of(Optional.of(key), knownHosts, HostKeyPolicy.STRICT),
                SshMetrics.NOOP, Wiring::sshAddress);
        database = new Database(Database.defaultUrl(scratch.resolve("data")), Optional.empty(), Optional.empty(), 2);
        source = new GitSource(new SourceSettings(fleet.config().get("fleetward.source.url"), "main",
                scratch.resolve("source.git"), Duration.ofSeconds(30), Optional.empty(), Optional.empty()));
        source.fetch();
    }

    @AfterAll
    static void stop() throws IOException {
        if (runner == null) {
            return;
        }
        ssh.close();
        runner.stop();
        source.close();
        database.close();
        deleteRemoteCheckout();
    }

    @Test
    void theCheckoutIsCopiedToTheRunnerAndTheDeployRunsInIt() throws Exception {
        String revision = source.revision().orElseThrow();
        Inventory inventory = new InventoryLoader("fleetward.yaml", Optional.empty(), "local")
                .load(source.files(revision), Optional.empty());
        Target galena = inventory.targets().stream().filter(t -> t.id().equals(TargetId.system("galena")))
                .findFirst().orElseThrow();
        Path sim = fleet.root().resolve("sim");
        Transports transports = new Transports(List.of(new LocalTransport(Optional.of(sim), Map.of()), ssh));
        Prober prober = new Prober(transports, Wiring.probeCommands(PlainConfig.defaults(CommandsConfig.class)),
                Duration.ofSeconds(10), Clock.systemUTC());
        // The runner is this machine's sshd; the stand-in clan finds the simulation through the command line.
        String quotedSim = CommandTemplate.quote(sim.toString());
        DeployCommands commands = new DeployCommands(
                CommandTemplate.of("fleetward.commands.system-deploy", "pwd && test -f flake.nix && FLEETWARD_SIMULATION="
                        + quotedSim + " PATH=" + quotedSim + "/bin:\"$PATH\" clan machines update {host}"),
                CommandTemplate.of("fleetward.commands.home-deploy", "true"));
        Deployer deployer = new Deployer(commands, transports, prober, source, new DeploymentStore(database),
                new LedgerStore(database), DeployMetrics.NOOP, new DeploySettings(Duration.ofMinutes(1), false,
                "git+file:///fleet?rev={rev}", scratch.resolve("logs"), scratch.resolve("checkouts"), 50,
                SystemRunner.parse("fleetward.deploy.system-runner", "ssh://" + runner.destination())),
                Clock.systemUTC());

        DeploymentResult result = deployer.deploy(new DeploymentRequest(galena, revision, "first deploy", "test", 1,
                false, prober.probe(galena)));

        String log = Files.readString(scratch.resolve("logs/deployment-" + result.id() + ".log"));
        assertThat(result.outcome()).as(log).isEqualTo(DeploymentOutcome.SUCCEEDED);
        assertThat(log).contains("# copying the checkout to ssh://" + runner.destination())
                .contains("clan machines update 'galena'")
                .contains("/root/.cache/fleetward/checkouts/galena")
                .contains("[galena] ");
        assertThat(fleet.currentSystem("galena")).contains("nixos-system-galena");
        assertThat(remoteCheckout().resolve("flake.nix")).hasSameTextualContentAs(
                Path.of("config/demo/repo/flake.nix"));
    }

    private static Path remoteCheckout() {
        return Path.of(System.getProperty("user.home"), ".cache/fleetward/checkouts/galena");
    }

    private static void deleteRemoteCheckout() throws IOException {
        Path checkout = remoteCheckout();
        if (Files.exists(checkout)) {
            try (var walk = Files.walk(checkout)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
