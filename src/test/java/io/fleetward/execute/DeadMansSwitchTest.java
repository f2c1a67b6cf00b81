package io.fleetward.execute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetward.SimulatedFleet;
import io.fleetward.Wiring;
import io.fleetward.config.CommandsConfig;
import io.fleetward.config.PlainConfig;
import io.fleetward.fleet.Host;
import io.fleetward.fleet.Platform;
import io.fleetward.fleet.Target;
import io.fleetward.fleet.TargetId;
import io.fleetward.observe.Prober;
import io.fleetward.transport.CommandTemplate;
import io.fleetward.transport.LocalTransport;
import io.fleetward.transport.Transports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The default {@code arm-rollback} / {@code disarm-rollback} scripts on a real POSIX sh, on a
 * simulated host (the stand-in {@code readlink} reads its {@code /run/current-system}): the switch
 * waits for the system to change, then for the confirm timeout, then runs the rollback; disarming in
 * time stops it; a newer arming replaces an older one; disarm says when it is too late.
 */
class DeadMansSwitchTest {
    private static final String BEFORE = "/nix/store/0000000000000000000000000000000a-nixos-system-galena";
    private static final String AFTER = "/nix/store/0000000000000000000000000000000b-nixos-system-galena";

    private final SimulatedFleet fleet = SimulatedFleet.create();
    private final Target galena = new Target(TargetId.system("galena"),
            new Host("galena", Platform.NIXOS, "root@galena", "local", List.of(), List.of(), true), null, List.of());
    private final List<String> log = new ArrayList<>();
    private DeploymentGuards guards;

    @BeforeEach
    void setUp() throws IOException {
        Path simulation = fleet.root().resolve("sim");
        Transports transports = new Transports(List.of(new LocalTransport(Optional.of(simulation), Map.of())));
        CommandsConfig defaults = PlainConfig.defaults(CommandsConfig.class);
        SafetyCommands standard = Wiring.safetyCommands(defaults);
        // The rollback a real host runs (nix-env --set && switch-to-configuration) needs a Nix store: here
        // it switches the simulated host's link back, which is what the switch must cause.
        CommandTemplate rollback = CommandTemplate.of("rollback", "ln -sfn {previous} "
                + "\"$FLEETWARD_SIMULATION/hosts/$FLEETWARD_HOST/run/current-system\"");
        SafetyCommands commands = new SafetyCommands(standard.precheckSystem(), standard.healthSystem(),
                standard.healthHome(), rollback, rollback, standard.rollbackHome(), standard.armRollback(),
                standard.disarmRollback());
        guards = new DeploymentGuards(commands, new SafetySettings(Duration.ofSeconds(5), Duration.ofSeconds(1)),
                transports, new Prober(transports, Wiring.probeCommands(defaults), Duration.ofSeconds(5),
                Clock.systemUTC()), DeployMetrics.NOOP, Duration.ofSeconds(20));
        switchTo(BEFORE);
    }

    @Test
    void anUndisarmedSwitchRollsBackOnceTheSystemChangedAndTheConfirmTimeoutPassed() throws Exception {
        DeploymentGuards.Ran armed = guards.arm(galena, 7, BEFORE, Prober.values(galena), log::add);
        assertThat(armed.succeeded()).as(String.join("\n", log)).isTrue();
        assertThat(armed.firstLine()).isEqualTo("armed: rollback to 0000000000000000000000000000000a-nixos-system-galena"
                + " unless disarmed");
        switchTo(AFTER); // the deploy

        await().atMost(Duration.ofSeconds(15)).until(() -> current().equals(BEFORE));

        DeploymentGuards.Ran late = guards.disarm(galena, 7, Prober.values(galena), log::add);
        assertThat(late.exitCode()).isEqualTo(3);
        assertThat(late.firstLine()).isEqualTo("the switch already fired:");
    }

    @Test
    void aSwitchDisarmedInTimeNeverFires() throws Exception {
        assertThat(guards.arm(galena, 8, BEFORE, Prober.values(galena), log::add).succeeded()).isTrue();
        switchTo(AFTER);

        DeploymentGuards.Ran disarmed = guards.disarm(galena, 8, Prober.values(galena), log::add);

        assertThat(disarmed.succeeded()).isTrue();
        assertThat(disarmed.firstLine()).isEqualTo("disarmed");
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> current().equals(AFTER));
        assertThat(guards.disarm(galena, 8, Prober.values(galena), log::add).exitCode())
                .as("disarming twice: it is not armed any more").isEqualTo(2);
    }

    @Test
    void armingAgainReplacesTheEarlierSwitch() throws Exception {
        assertThat(guards.arm(galena, 9, BEFORE, Prober.values(galena), log::add).succeeded()).isTrue();
        assertThat(guards.arm(galena, 10, BEFORE, Prober.values(galena), log::add).succeeded()).isTrue();
        switchTo(AFTER);

        assertThat(guards.disarm(galena, 10, Prober.values(galena), log::add).succeeded()).isTrue();

        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> current().equals(AFTER));
        assertThat(guards.disarm(galena, 9, Prober.values(galena), log::add).exitCode())
                .as("the earlier arming was removed by the later one").isEqualTo(2);
    }

    private Path link() {
        return fleet.host("galena").resolve("run/current-system");
    }

    private String current() throws IOException {
        return Files.readSymbolicLink(link()).toString();
    }

    private void switchTo(String path) throws IOException {
        Files.createDirectories(link().getParent());
        Path tmp = link().resolveSibling("current-system.test");
        Files.deleteIfExists(tmp);
        Files.createSymbolicLink(tmp, Path.of(path));
        Files.move(tmp, link(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
