package io.fleetward.e2e;

import static io.fleetward.FleetApi.awaitAllInSync;
import static io.fleetward.FleetApi.deploymentCounts;
import static io.fleetward.FleetApi.metrics;
import static io.fleetward.FleetApi.plusOne;
import static io.fleetward.FleetApi.target;
import static io.fleetward.FleetApi.targets;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetward.FleetApi;
import io.fleetward.fleet.StorePath;
import io.fleetward.reconcile.ReconcileLoop;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole daemon against real OpenSSH: eight hosts, each its own sshd on its own loopback
 * address, the desired-state repository cloned over SSH, probes and home switches over fleetward's
 * SSH transport, and the stand-in clan activating hosts over SSH. The scenarios share one fleet and
 * run in order, each starting from the converged state the previous one left.
 */
@QuarkusTest
@TestProfile(OpenSshFleetProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetOverSshTest {
    private static final OpenSshFleet FLEET = OpenSshFleetProfile.FLEET;
    private static final List<String> ALL_TARGETS = FleetApi.REFERENCE_TARGETS;
    private static final Duration CONVERGE = Duration.ofSeconds(60);

    @Inject
    ReconcileLoop loop;

    @BeforeAll
    static void fleetRunsHere() {
        E2eEnvironment.assumeReady();
    }

    @Test
    @Order(1)
    void firstConvergenceOverSsh() {
        awaitAllInSync(ALL_TARGETS, CONVERGE);
        JsonPath targets = targets();
        assertThat(targets.getList("id", String.class)).containsExactlyElementsOf(ALL_TARGETS);
        assertThat(targets.getList("deployedRevision", String.class)).containsOnly(FLEET.head());
        assertThat(deploymentCounts()).containsOnlyKeys(ALL_TARGETS).allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
        for (String host : FLEET.hosts()) {
            // Each host was activated once, by root, through its own sshd, with the path fleetward now reads.
            List<Activation> system = activations(host, Activation.Kind.SYSTEM);
            assertThat(system).singleElement().satisfies(a -> {
                assertThat(a.unixUser()).isEqualTo("root");
                assertThat(a.path()).isEqualTo(FLEET.currentSystem(host).orElseThrow());
            });
        }
        // Standalone users switched as themselves.
        assertThat(activations("rosegold", Activation.Kind.HOME)).singleElement()
                .satisfies(a -> assertThat(a.unixUser()).isEqualTo("janettesmith"));
        assertThat(activations("argentum", Activation.Kind.HOME)).singleElement()
                .satisfies(a -> assertThat(a.unixUser()).isEqualTo("christophersmith"));
        assertThat(target("home:janettesmith@rosegold").getString("currentPath"))
                .isEqualTo(FLEET.currentHome("rosegold", "janettesmith").orElseThrow());
        String metrics = metrics();
        assertThat(metrics).contains("fleetward_deployments_total{kind=\"system\",outcome=\"succeeded\"} 8.0")
                .contains("fleetward_deployments_total{kind=\"home\",outcome=\"succeeded\"} 2.0")
                .contains("fleetward_ssh_connects_total{result=\"ok\"}")
                .contains("fleetward_ssh_sessions_open");
        // The source came over SSH.
        assertThat(given().get("/api/v1/source").then().statusCode(200).extract().path("url").toString())
                .startsWith("ssh://");
    }

    @Test
    @Order(2)
    void aCommitToOneHostFolderRedeploysOnlyThatHost() {
        awaitAllInSync(ALL_TARGETS, CONVERGE);
        Map<String, Integer> before = deploymentCounts();
        int galenaActivations = activations("galena", Activation.Kind.SYSTEM).size();
        String revision = FLEET.touch("modules/machines/nixos/galena/default.nix", "galena: open port 443");
        loop.request("test", true);

        await().atMost(CONVERGE).untilAsserted(() ->
                assertThat(target("system:galena").getString("deployedRevision")).isEqualTo(revision));
        awaitAllInSync(ALL_TARGETS, CONVERGE);
        assertThat(deploymentCounts()).isEqualTo(plusOne(before, "system:galena"));
        assertThat(activations("galena", Activation.Kind.SYSTEM)).hasSize(galenaActivations + 1);
        assertThat(target("system:cinnabar").getString("reason")).startsWith("no relevant change since");
    }

    @Test
    @Order(3)
    void aCommitToOneStandaloneUserRedeploysOnlyThatHomeAsThatUser() {
        awaitAllInSync(ALL_TARGETS, CONVERGE);
        Map<String, Integer> before = deploymentCounts();
        String homeBefore = FLEET.currentHome("rosegold", "janettesmith").orElseThrow();
        String revision = FLEET.touch("modules/home/users/janettesmith/default.nix", "janettesmith: new shell");
        loop.request("test", true);

        await().atMost(CONVERGE).untilAsserted(() -> assertThat(
                target("home:janettesmith@rosegold").getString("deployedRevision")).isEqualTo(revision));
        awaitAllInSync(ALL_TARGETS, CONVERGE);
        assertThat(deploymentCounts()).isEqualTo(plusOne(before, "home:janettesmith@rosegold"));
        assertThat(FLEET.currentHome("rosegold", "janettesmith").orElseThrow()).isNotEqualTo(homeBefore);
        Activation last = lastActivation("rosegold");
        assertThat(last.kind()).isEqualTo(Activation.Kind.HOME);
        assertThat(last.unixUser()).isEqualTo("janettesmith");
    }

    @Test
    @Order(4)
    void aHostWhoseSshdIsDownIsUnreachableWithoutHoldingUpTheOthers() {
        awaitAllInSync(ALL_TARGETS, CONVERGE);
        FLEET.stop("galena");
        try {
            String revision = FLEET.touch("modules/nixos/default.nix", "nixos: tune the journal");
            loop.request("test", true);

            // The other NixOS hosts converge while galena is down.
            await().atMost(CONVERGE).untilAsserted(() -> {
                for (String host : List.of("cinnabar", "electrum", "scheelite")) {
                    JsonPath target = target("system:" + host);
                    assertThat(target.getString("status")).isEqualTo("IN_SYNC");
                    assertThat(target.getString("deployedRevision")).isEqualTo(revision);
                }
                JsonPath galena = target("system:galena");
                assertThat(galena.getString("status")).isEqualTo("UNREACHABLE");
                assertThat(galena.getString("reason")).isNotBlank();
            });
            assertThat(FLEET.running("galena")).isFalse();
            assertThat(metrics()).contains(
                    "fleetward_target_status{host=\"galena\",kind=\"system\",target=\"system:galena\"} 4.0");
        } finally {
            FLEET.start("galena");
        }
        loop.request("test", true);
        await().atMost(CONVERGE).untilAsserted(() ->
                assertThat(target("system:galena").getString("deployedRevision")).isEqualTo(FLEET.head()));
        awaitAllInSync(ALL_TARGETS, CONVERGE);
    }

    @Test
    @Order(5)
    void aFailingDeployIsRetriedAndSucceedsAfterAFixingCommit() {
        awaitAllInSync(ALL_TARGETS, CONVERGE);
        String broken = FLEET.commit("modules/machines/nixos/electrum/broken.nix",
                "{ }: throw \"electrum: option services.foo does not exist\"\n", "electrum: broken module");
        loop.request("test", true);

        JsonPath history = FleetApi.awaitGaveUp("system:electrum", 3, CONVERGE);
        assertThat(history.getList("outcome", String.class)).containsOnly("FAILED");
        assertThat(history.getList("revision", String.class)).containsOnly(broken);
        String log = given().get("/api/v1/deployments/" + history.getLong("[0].id")).then().extract().path("log");
        assertThat(log).contains("services.foo does not exist");

        String fixed = FLEET.commit("modules/machines/nixos/electrum/broken.nix", "{ }: { }\n", "electrum: fix");
        loop.request("test", true);
        await().atMost(CONVERGE).untilAsserted(() -> {
            JsonPath electrum = target("system:electrum");
            assertThat(electrum.getString("status")).isEqualTo("IN_SYNC");
            assertThat(electrum.getString("deployedRevision")).isEqualTo(fixed);
        });
        awaitAllInSync(ALL_TARGETS, CONVERGE);
    }

    @Test
    @Order(6)
    void aHostWithASwappedHostKeyIsRefusedAndNeverDeployedTo() {
        awaitAllInSync(ALL_TARGETS, CONVERGE);
        int activationsBefore = FLEET.activations("scheelite").size();
        String pathBefore = FLEET.currentSystem("scheelite").orElseThrow();
        FLEET.swapHostKey("scheelite");
        try {
            FLEET.touch("modules/machines/nixos/scheelite/default.nix", "scheelite: new disk");
            loop.request("test", true);

            await().atMost(CONVERGE).untilAsserted(() -> {
                JsonPath scheelite = target("system:scheelite");
                assertThat(scheelite.getString("status")).isEqualTo("UNREACHABLE");
                assertThat(scheelite.getString("reason")).contains(FLEET.address("scheelite")).contains("SHA256:");
            });
            // Another pass changes nothing: scheelite is contacted again and refused again, nothing runs there.
            double refused = metric("fleetward_ssh_connects_total{result=\"host_key_refused\"}");
            loop.request("test", true);
            await().atMost(CONVERGE).untilAsserted(() -> {
                assertThat(metric("fleetward_ssh_connects_total{result=\"host_key_refused\"}")).isGreaterThan(refused);
                assertThat(target("system:scheelite").getString("status")).isEqualTo("UNREACHABLE");
            });
            assertThat(FLEET.activations("scheelite")).hasSize(activationsBefore);
            assertThat(FLEET.currentSystem("scheelite")).contains(pathBefore);
            assertThat(metrics()).contains("fleetward_ssh_connects_total{result=\"host_key_refused\"}");
        } finally {
            FLEET.restoreHostKey("scheelite");
        }
        loop.request("test", true);
        awaitAllInSync(ALL_TARGETS, CONVERGE);
        assertThat(target("system:scheelite").getString("deployedRevision")).isEqualTo(FLEET.head());
    }

    @Test
    @Order(7)
    void aManualSwitchOnAHostIsDetectedAndReconciled() {
        awaitAllInSync(ALL_TARGETS, CONVERGE);
        Map<String, Integer> before = deploymentCounts();
        String manual = FLEET.manualSwitch("cinnabar");
        // No trigger: the scheduled probe (every host once per fleetward.probe.interval, 16 s here) finds it.

        await().atMost(CONVERGE).untilAsserted(() ->
                assertThat(deploymentCounts().get("system:cinnabar")).isEqualTo(before.get("system:cinnabar") + 1));
        awaitAllInSync(ALL_TARGETS, CONVERGE);
        assertThat(FLEET.currentSystem("cinnabar")).isPresent().get().isNotEqualTo(manual);
        JsonPath last = given().queryParam("target", "system:cinnabar").queryParam("limit", 1)
                .get("/api/v1/deployments").then().extract().jsonPath();
        String log = given().get("/api/v1/deployments/" + last.getLong("[0].id")).then().extract().path("log");
        assertThat(log).contains("# reason: out-of-band change");
        assertThat(deploymentCounts()).isEqualTo(plusOne(before, "system:cinnabar"));
    }

    @Test
    @Order(8)
    void aDeployThatCutsTheHostOffIsRolledBackByTheHostItself() {
        // Run alone on a busy machine, a first probe may time out: each poll asks for a pass, which probes again.
        await().atMost(CONVERGE).pollInterval(Duration.ofSeconds(3)).untilAsserted(() -> {
            loop.request("test", true);
            assertThat(targets().getList("status", String.class)).containsOnly("IN_SYNC");
        });
        String host = "electrum";
        String file = "modules/machines/nixos/electrum/default.nix";
        String original = FLEET.read(file);
        String oldPath = FLEET.currentSystem(host).orElseThrow();
        Map<String, Integer> before = deploymentCounts();
        String bad = FLEET.commit(file, original + "# electrum: firewall allows nothing\n", "electrum: lock down");
        FLEET.breakSshAt(host, bad);
        loop.request("test", true);

        // fleetward cannot reach electrum after the deploy: its own rollback fails, the switch stays armed.
        JsonPath failed = await().atMost(CONVERGE).until(() -> given().queryParam("target", "system:" + host)
                .queryParam("limit", 1).get("/api/v1/deployments").then().extract().jsonPath(),
                history -> "FAILED".equals(history.getString("[0].outcome")) && bad.equals(history.getString("[0].revision")));
        assertThat(failed.getString("[0].reason")).startsWith("rollback to " + StorePath.nameOf(oldPath) + " failed after")
                .contains("the dead man's switch on electrum rolls it back by itself")
                .endsWith("the machine needs a person");
        assertThat(FLEET.running(host)).as("the new system stopped sshd").isFalse();

        // The host rolls itself back once it ran the new system for the confirm timeout (20 s here).
        await().atMost(Duration.ofSeconds(60)).until(() -> FLEET.currentSystem(host).orElseThrow().equals(oldPath));
        Activation rollback = lastActivation(host);
        assertThat(rollback.unixUser()).isEqualTo("root");
        assertThat(rollback.path()).isEqualTo(oldPath);
        // The old configuration's sshd comes back with it (the simulation's sshd is the test's to start).
        FLEET.start(host);

        loop.request("test", true);
        await().atMost(CONVERGE).untilAsserted(() -> {
            JsonPath electrum = target("system:" + host);
            assertThat(electrum.getString("status")).isEqualTo("FAILED");
            assertThat(electrum.getString("currentPath")).isEqualTo(oldPath);
            assertThat(electrum.getString("reason")).contains("not deployed at " + bad.substring(0, 7) + " again");
        });
        // Reverting the commit: the old path is the desired state again, with nothing to deploy.
        String reverted = FLEET.commit(file, original, "Revert \"electrum: lock down\"");
        loop.request("test", true);
        await().atMost(CONVERGE).untilAsserted(() -> {
            JsonPath electrum = target("system:" + host);
            assertThat(electrum.getString("status")).isEqualTo("IN_SYNC");
            assertThat(electrum.getString("desiredRevision")).isEqualTo(reverted);
            assertThat(electrum.getString("currentPath")).isEqualTo(oldPath);
        });
        assertThat(deploymentCounts()).as("no deployment succeeded since: the revert needed none").isEqualTo(before);
        assertThat(metrics()).contains("fleetward_rollbacks_total{kind=\"system\",result=\"failed\"} 1.0");
        awaitAllInSync(ALL_TARGETS, CONVERGE);
    }

    /** The value of one exported series ({@code name{labels}}), 0 while it is not exported. */
    private static double metric(String series) {
        return metrics().lines().filter(line -> line.startsWith(series + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1))).sum();
    }

    private static List<Activation> activations(String host, Activation.Kind kind) {
        return FLEET.activations(host).stream().filter(a -> a.kind() == kind).toList();
    }

    private static Activation lastActivation(String host) {
        List<Activation> all = FLEET.activations(host);
        return all.get(all.size() - 1);
    }
}
