package io.fleetward.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The OpenSSH fleet itself, checked with the OpenSSH client and git, without fleetward: every host
 * answers through its own sshd with its own state, sessions run as the right account with the
 * simulated HOME and PATH, the repository clones over SSH, and stopping a host, swapping its host
 * key and the stand-in clan's activation over SSH behave as on real machines. One fleet for the
 * class; it first deploys every host with the stand-in clan (which reaches each host over SSH).
 */
class OpenSshFleetTest {
    private static final String OTHER_REV = "c0ffee4b7d2e9a1f3b5c7d9e0a2b4c6d8e0f1a2b";

    private static OpenSshFleet fleet;

    @BeforeAll
    static void startFleetAndDeployEveryHost() {
        E2eEnvironment.assumeReady();
        fleet = OpenSshFleet.start();
        ProcessOutcome everyHost = fleet.clan(fleet.head());
        assertThat(everyHost.exit()).as(everyHost.toString()).isZero();
    }

    @AfterAll
    static void stopFleet() {
        if (fleet != null) {
            fleet.close();
        }
    }

    static Stream<String> hosts() {
        return fleet.hosts().stream();
    }

    /** Every account that may log in on a host: root and the host's users. */
    static Stream<Arguments> logins() {
        return fleet.hosts().stream().flatMap(host -> Stream.concat(Stream.of("root"), fleet.users(host).stream())
                .distinct().map(user -> Arguments.of(host, user)));
    }

    static Stream<Arguments> userLogins() {
        return logins().filter(arguments -> !arguments.get()[1].equals("root"));
    }

    @Test
    void eightHostsAndKnownHostsHoldsEachKey() throws IOException {
        List<String> knownHosts = Files.readAllLines(fleet.knownHostsFile());

        assertThat(fleet.hosts()).hasSize(8);
        assertThat(knownHosts).hasSize(9);
        for (String host : fleet.hosts()) {
            assertThat(knownHosts).filteredOn(line -> line.startsWith("[" + fleet.address(host) + "]:" + fleet.port() + " "))
                    .singleElement().asString().matches("\\[127\\.0\\.77\\.[1-8]]:\\d+ ssh-ed25519 \\S+");
        }
    }

    @ParameterizedTest
    @MethodSource("hosts")
    void eachHostAnswersThroughItsOwnSshdWithItsOwnState(String host) {
        ProcessOutcome run = fleet.ssh(host, "root",
                "printf '%s\\n' \"$FLEETWARD_HOST\"; readlink /run/current-system; " + fleet.platform(host) + "-version --json");

        assertThat(run.exit()).as(run.toString()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo(host);
        assertThat(lines.get(1)).isEqualTo(fleet.currentSystem(host).orElseThrow());
        assertThat(lines.get(2)).contains("\"nixpkgsRevision\":\"");
        assertThat(fleet.hosts()).filteredOn(other -> !other.equals(host))
                .allSatisfy(other -> assertThat(fleet.currentSystem(other)).isNotEqualTo(fleet.currentSystem(host)));
    }

    @ParameterizedTest
    @MethodSource("logins")
    void sessionsRunAsTheUserWithTheSimulatedHomeAndPath(String host, String user) {
        ProcessOutcome run = fleet.ssh(host, user, "id -un; printf '%s\\n' \"$HOME\" \"$PATH\" \"$FLEETWARD_SIMULATION\"");

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out().lines()).containsExactly(user, fleet.home(host, user).toString(),
                fleet.simulation().resolve("bin") + ":/usr/bin:/bin", fleet.simulation().toString());
        assertThat(run.err()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("userLogins")
    void usersWriteTheirOwnHomeButNotTheHostsStateNorRootsHome(String host, String user) {
        String state = "$FLEETWARD_SIMULATION/hosts/$FLEETWARD_HOST";
        ProcessOutcome run = fleet.ssh(host, user, "touch \"$HOME/written\" && echo own;"
                + " touch \"" + state + "/run/written\" 2>/dev/null && echo state;"
                + " touch \"" + state + "/home/root/written\" 2>/dev/null && echo root-home; true");

        assertThat(run.out().lines()).containsExactly("own");
        assertThat(fleet.home(host, user).resolve("written")).exists();
    }

    @Test
    void aUserWithoutAnAccountOnTheHostIsRefused() {
        ProcessOutcome run = fleet.ssh("galena", "janettesmith", "true");

        assertThat(run.exit()).isEqualTo(255);
        assertThat(run.err()).contains("Permission denied");
    }

    @Test
    void standaloneHomeSwitchRunsOnTheHostAsTheUser() {
        String rev = fleet.head();
        String flake = "git+" + fleet.sourceUrl() + "?ref=main&rev=" + rev;

        ProcessOutcome run = fleet.ssh("rosegold", "janettesmith",
                OpenSshFleet.words("nh", "home", "switch", flake, "--configuration", "janettesmith@rosegold"));

        assertThat(run.exit()).as(run.toString()).isZero();
        String generation = fleet.currentHome("rosegold", "janettesmith").orElseThrow();
        assertThat(generation).matches("/nix/store/[0-9a-z]{32}-home-manager-generation");
        assertThat(fleet.activations("rosegold")).last()
                .extracting(Activation::unixUser, Activation::kind, Activation::path)
                .containsExactly("janettesmith", Activation.Kind.HOME, generation);
        assertThat(fleet.currentHome("rosegold", "root")).isEmpty();
    }

    @Test
    void theRepositoryClonesOverSshAndServesPushedCommits(@TempDir Path work) throws IOException {
        Path clone = work.resolve("clone");
        ProcessOutcome cloned = fleet.git(work, "clone", "--quiet", fleet.sourceUrl(), clone.toString());

        assertThat(cloned.exit()).as(cloned.toString()).isZero();
        assertThat(fleet.git(clone, "rev-parse", "HEAD").out().strip()).isEqualTo(fleet.head());
        JsonNode overlay = new YAMLMapper().readTree(clone.resolve("fleetward.yaml").toFile());
        assertThat(overlay.at("/defaults/transport").asText()).isEqualTo("ssh");
        for (String host : fleet.hosts()) {
            assertThat(overlay.at("/hosts/" + host + "/target-host").asText())
                    .endsWith("@" + fleet.address(host) + ":" + fleet.port());
            assertThat(overlay.at("/hosts/" + host + "/transport").asText()).isEqualTo("ssh");
        }
        assertThat(overlay.at("/hosts/stibnite/target-host").asText()).startsWith("crs58@");
        assertThat(overlay.at("/hosts/galena/target-host").asText()).startsWith("root@");

        String revision = fleet.touch("modules/machines/nixos/galena/default.nix", "galena: open port 443");
        ProcessOutcome fetched = fleet.git(clone, "fetch", "--quiet", "origin");

        assertThat(fleet.head()).isEqualTo(revision);
        assertThat(fetched.exit()).as(fetched.toString()).isZero();
        assertThat(fleet.git(clone, "rev-parse", "origin/main").out().strip()).isEqualTo(revision);
    }

    @Test
    void aStoppedHostRefusesConnectionsWhileTheOthersAnswerUntilItStartsAgain() {
        try {
            fleet.stop("galena");

            ProcessOutcome down = fleet.ssh("galena", "root", "true");
            ProcessOutcome other = fleet.ssh("cinnabar", "root", "true");

            assertThat(fleet.running("galena")).isFalse();
            assertThat(down.exit()).isEqualTo(255);
            assertThat(down.err()).contains("Connection refused");
            assertThat(other.exit()).as(other.toString()).isZero();
        } finally {
            fleet.start("galena");
        }
        assertThat(fleet.ssh("galena", "root", "true").exit()).isZero();
    }

    @Test
    void stoppingAHostBreaksItsOpenSessions(@TempDir Path work) throws Exception {
        Path out = work.resolve("session.out");
        Process session = new ProcessBuilder(fleet.sshArgv("electrum", "root", "echo started; exec sleep 60"))
                .redirectOutput(out.toFile())
                .redirectError(work.resolve("session.err").toFile())
                .start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(out).contains("started"));

            fleet.stop("electrum");

            assertThat(session.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(session.exitValue()).isEqualTo(255);
        } finally {
            session.destroyForcibly();
            fleet.start("electrum");
        }
    }

    @Test
    void aSwappedHostKeyIsRefusedByStrictClientsAndByClanUntilRestored() {
        String before = fleet.currentSystem("scheelite").orElseThrow();
        try {
            fleet.swapHostKey("scheelite");

            ProcessOutcome ssh = fleet.ssh("scheelite", "root", "true");
            ProcessOutcome clan = fleet.clan(OTHER_REV, "scheelite");

            assertThat(ssh.exit()).isEqualTo(255);
            assertThat(ssh.err()).contains("REMOTE HOST IDENTIFICATION HAS CHANGED").contains("Host key verification failed");
            assertThat(clan.exit()).isEqualTo(1);
            assertThat(clan.err()).contains("[scheelite] Host key verification failed")
                    .contains("error: failed to update machines: scheelite");
            assertThat(fleet.currentSystem("scheelite")).contains(before);
        } finally {
            fleet.restoreHostKey("scheelite");
        }
        assertThat(fleet.ssh("scheelite", "root", "true").exit()).isZero();
    }

    @ParameterizedTest
    @MethodSource("hosts")
    void clanActivatedEachHostOverItsSshdAsRoot(String host) throws IOException {
        String system = fleet.currentSystem(host).orElseThrow();

        assertThat(fleet.activations(host)).filteredOn(a -> a.kind() == Activation.Kind.SYSTEM)
                .anySatisfy(activation -> {
                    assertThat(activation.unixUser()).isEqualTo("root");
                    assertThat(activation.path()).isEqualTo(system);
                });
        assertThat(Files.readString(fleet.sshdLog(host))).contains("Accepted publickey for root from ");
        assertThat(Files.readString(fleet.hostState(host).resolve("ssh-target")).strip())
                .isEqualTo("root@" + fleet.address(host) + ":" + fleet.port());
    }

    @Test
    void clanFailsWithTheMachinePrefixWhileTheHostIsDownAndActivatesWhenItIsBack() {
        String before = fleet.currentSystem("cinnabar").orElseThrow();
        ProcessOutcome down;
        try {
            fleet.stop("cinnabar");
            down = fleet.clan(OTHER_REV, "cinnabar");
        } finally {
            fleet.start("cinnabar");
        }

        assertThat(down.exit()).isEqualTo(1);
        assertThat(down.err()).contains("[cinnabar] ssh: connect to host " + fleet.address("cinnabar") + " port "
                + fleet.port() + ": Connection refused").endsWith("error: failed to update machines: cinnabar\n");
        assertThat(fleet.currentSystem("cinnabar")).contains(before);

        ProcessOutcome back = fleet.clan(OTHER_REV, "cinnabar");

        assertThat(back.exit()).as(back.toString()).isZero();
        assertThat(back.out().lines()).allSatisfy(line -> assertThat(line).startsWith("[cinnabar] "))
                .contains("[cinnabar] activating the configuration...");
        String after = fleet.currentSystem("cinnabar").orElseThrow();
        assertThat(after).isNotEqualTo(before);
        assertThat(fleet.activations("cinnabar")).last().extracting(Activation::unixUser, Activation::path)
                .containsExactly("root", after);
    }

    @Test
    void anInjectedBuildFailureNeverReachesTheHost() {
        int activations = fleet.activations("argentum").size();
        try {
            fleet.failDeploys("argentum", true);

            ProcessOutcome run = fleet.clan(OTHER_REV, "argentum");

            assertThat(run.exit()).isEqualTo(1);
            assertThat(run.err()).contains("[argentum] error: builder for");
            assertThat(fleet.activations("argentum")).hasSize(activations);
        } finally {
            fleet.failDeploys("argentum", false);
        }
    }

    @Test
    void aManualSwitchActivatesAPathFleetwardNeverDeployedAsRootOnTheHost() {
        String before = fleet.currentSystem("blackphos").orElseThrow();

        String manual = fleet.manualSwitch("blackphos");

        assertThat(manual).isNotEqualTo(before).endsWith(before.substring("/nix/store/".length() + 32));
        assertThat(fleet.ssh("blackphos", "crs58", "readlink /run/current-system").out().strip()).isEqualTo(manual);
        assertThat(fleet.activations("blackphos")).last().extracting(Activation::unixUser, Activation::kind,
                Activation::path).containsExactly("root", Activation.Kind.SYSTEM, manual);
        // A switch from a local tree carries no configurationRevision.
        assertThat(fleet.ssh("blackphos", "crs58", "darwin-version --json").out()).doesNotContain("configurationRevision");
    }
}
