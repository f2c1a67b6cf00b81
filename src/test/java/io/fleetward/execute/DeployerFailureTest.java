package io.fleetward.execute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetward.InMemoryMachines;
import io.fleetward.SimulatedFleet;
import io.fleetward.Wiring;
import io.fleetward.config.CommandsConfig;
import io.fleetward.config.PlainConfig;
import io.fleetward.fleet.Inventory;
import io.fleetward.fleet.InventoryLoader;
import io.fleetward.fleet.Target;
import io.fleetward.fleet.TargetId;
import io.fleetward.observe.Observation;
import io.fleetward.observe.Prober;
import io.fleetward.source.GitSource;
import io.fleetward.source.SourceSettings;
import io.fleetward.store.Database;
import io.fleetward.store.DeploymentRecord;
import io.fleetward.store.DeploymentStore;
import io.fleetward.store.LedgerStore;
import io.fleetward.transport.CommandTemplate;
import io.fleetward.transport.LocalTransport;
import io.fleetward.transport.ProcessGroup;
import io.fleetward.transport.Transports;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A deployment always ends with a result, whatever fails under it: the store while recording its
 * start, the ledger after the machine activated. And a deploy that leaves the machine at the path
 * it already ran is UNCHANGED, not a failure.
 */
class DeployerFailureTest {
    private final SimulatedFleet fleet = SimulatedFleet.create();
    private final InMemoryMachines machines = new InMemoryMachines();
    private final Database records = memoryDatabase();
    private final Database ledgerDatabase = memoryDatabase();
    private final DeploymentStore deployments = new DeploymentStore(records);
    private final LedgerStore ledger = new LedgerStore(ledgerDatabase);
    private GitSource source;
    private Deployer deployer;
    private Target galena;
    private String head;

    @BeforeEach
    void setUp() throws Exception {
        source = new GitSource(new SourceSettings(fleet.root().resolve("repo").toString(), "main",
                fleet.data().resolve("source.git"), Duration.ofSeconds(30), Optional.empty(), Optional.empty()));
        head = source.fetch().revision();
        Inventory inventory = new InventoryLoader("fleetward.yaml", Optional.empty(), "local")
                .load(source.files(head), Optional.empty());
        galena = inventory.targets().stream().filter(t -> t.id().equals(TargetId.system("galena"))).findFirst()
                .orElseThrow();
        Transports transports = new Transports(List.of(machines));
        Prober prober = new Prober(transports, Wiring.probeCommands(PlainConfig.defaults(CommandsConfig.class)),
                Duration.ofSeconds(5), Clock.systemUTC());
        deployer = new Deployer(Wiring.deployCommands(PlainConfig.defaults(CommandsConfig.class)),
                transports, prober, source, deployments, ledger, DeployMetrics.NOOP,
                new DeploySettings(Duration.ofMinutes(1), false, "git+file:///fleet?rev={rev}",
                        fleet.data().resolve("logs"), fleet.data().resolve("checkouts"), 20,
                        SystemRunner.parse("runner", "local")), Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        source.close();
        records.close();
        ledgerDatabase.close();
    }

    @Test
    void aStoreThatCannotRecordTheCommandsProcessGroupStopsTheCommandAndEndsFailedTransient() throws Exception {
        List<Long> groups = new CopyOnWriteArrayList<>();
        DeploymentJournal failingAttach = new DeploymentJournal() {
            @Override
            public long begin(TargetId target, String revision, String trigger, Instant startedAt, String logFile) {
                return deployments.begin(target, revision, trigger, startedAt, logFile);
            }

            @Override
            public void attachLog(long id, String logFile) {
                deployments.attachLog(id, logFile);
            }

            @Override
            public void attachProcessGroup(long id, long processGroup) {
                groups.add(processGroup);
                throw new IllegalStateException("the database is down");
            }

            @Override
            public void finish(long id, DeploymentOutcome outcome, Integer exitCode, String reason, String logTail,
                               Instant endedAt) {
                deployments.finish(id, outcome, exitCode, reason, logTail, endedAt);
            }
        };
        fleet.deployDelay("galena", 600); // the stand-in clan would run ten minutes: it can only end by being killed
        Transports local = new Transports(List.of(new LocalTransport(Optional.of(fleet.root().resolve("sim")),
                Map.of())));
        Deployer onTheController = new Deployer(new DeployCommands(
                CommandTemplate.of("system-deploy", "clan machines update {host}"),
                CommandTemplate.of("home-deploy", "nh home switch {flake} --configuration {configuration}")),
                local, null /* no re-probe: the command never finishes */, source, failingAttach, ledger,
                DeployMetrics.NOOP,
                new DeploySettings(Duration.ofMinutes(1), false, "git+file:///fleet?rev={rev}",
                        fleet.data().resolve("logs"), fleet.data().resolve("checkouts"), 20,
                        SystemRunner.parse("runner", "local")), Clock.systemUTC());

        DeploymentResult result = onTheController.deploy(request(null));

        assertThat(result.outcome()).isEqualTo(DeploymentOutcome.FAILED);
        assertThat(result.failure()).isEqualTo(DeploymentResult.Failure.TRANSIENT);
        assertThat(groups).hasSize(1);
        assertThat(result.reason()).isEqualTo("stopped the command right after its start: its process group "
                + groups.get(0) + " could not be recorded: the database is down");
        assertThat(deployments.find(result.id()).orElseThrow().outcome()).isEqualTo(DeploymentOutcome.FAILED);
        ProcessGroup command = ProcessGroup.of(groups.get(0));
        await("the command's group ended").atMost(Duration.ofSeconds(30)).until(() -> !command.alive());
    }

    private DeploymentRequest request(Observation before) {
        return new DeploymentRequest(galena, head, "test", "test", 1, false, before);
    }

    @Test
    void aStoreThatCannotRecordTheStartRunsNothingAndEndsFailedTransient() {
        records.close();

        DeploymentResult result = deployer.deploy(request(null));

        assertThat(result.outcome()).isEqualTo(DeploymentOutcome.FAILED);
        assertThat(result.failure()).isEqualTo(DeploymentResult.Failure.TRANSIENT);
        assertThat(result.id()).isEqualTo(DeploymentResult.NO_ROW);
        assertThat(result.reason()).startsWith("could not record the deployment's start, nothing ran");
        assertThat(machines.system("galena")).as("nothing ran").isNull();
    }

    @Test
    void aLedgerThatFailsAfterActivationEndsFailedTransientAndClosesTheRow() {
        ledgerDatabase.close();

        DeploymentResult result = deployer.deploy(request(null));

        assertThat(result.outcome()).isEqualTo(DeploymentOutcome.FAILED);
        assertThat(result.failure()).isEqualTo(DeploymentResult.Failure.TRANSIENT);
        assertThat(result.reason()).contains("but the ledger could not record it");
        assertThat(machines.system("galena")).isEqualTo(InMemoryMachines.systemPath("galena", head));
        DeploymentRecord row = deployments.find(result.id()).orElseThrow();
        assertThat(row.outcome()).isEqualTo(DeploymentOutcome.FAILED);
        assertThat(row.endedAt()).isNotNull();
    }

    @Test
    void aMachineAlreadyAtThePathIsUnchangedAndTheLedgerLearnsIt() throws Exception {
        String path = InMemoryMachines.systemPath("galena", head);
        machines.switchByHand("galena", path);
        Observation before = new Observation(galena.id(), java.time.Instant.now(), path, path, null, null);

        DeploymentResult result = deployer.deploy(request(before));

        assertThat(result.outcome()).isEqualTo(DeploymentOutcome.UNCHANGED);
        assertThat(result.converged()).isTrue();
        assertThat(result.reason()).startsWith("already ran this configuration: still at");
        assertThat(ledger.revisionOfPath(galena.id(), path)).contains(head);
        assertThat(deployments.find(result.id()).orElseThrow().outcome()).isEqualTo(DeploymentOutcome.UNCHANGED);
    }

    @Test
    void aFailingDeployCommandIsACommandFailure() {
        machines.failDeploys("galena", true);

        DeploymentResult result = deployer.deploy(request(null));

        assertThat(result.failure()).isEqualTo(DeploymentResult.Failure.COMMAND);
        assertThat(result.exitCode()).isEqualTo(1);
    }

    private static Database memoryDatabase() {
        return new Database("jdbc:h2:mem:deployer-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", Optional.empty(),
                Optional.empty(), 2);
    }
}
