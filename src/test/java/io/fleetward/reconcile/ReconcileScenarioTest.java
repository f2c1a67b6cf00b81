package io.fleetward.reconcile;

import static io.fleetward.FleetApi.awaitAllInSync;
import static io.fleetward.FleetApi.deploymentCounts;
import static io.fleetward.FleetApi.target;
import static io.fleetward.FleetApi.targets;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetward.FleetApi;
import io.fleetward.SimulatedFleet;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The loop end to end on a real git repository and the stand-in tools: convergence, a one-host
 * change, an out-of-band change and a failing deploy with backoff. The scenarios share one fleet
 * and run in order, each starting from the converged state the previous one left.
 */
@QuarkusTest
@TestProfile(ReferenceFleetProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReconcileScenarioTest {
    private static final SimulatedFleet FLEET = ReferenceFleetProfile.FLEET;
    private static final List<String> ALL_TARGETS = FleetApi.REFERENCE_TARGETS;

    @Inject
    ReconcileLoop loop;

    @Test
    @Order(1)
    void firstConvergenceBringsEveryTargetInSync() {
        awaitAllInSync(ALL_TARGETS, Duration.ofSeconds(60));
        JsonPath targets = targets();
        assertThat(targets.getList("id", String.class)).containsExactlyElementsOf(ALL_TARGETS);
        String head = given().get("/api/v1/source").then().statusCode(200).extract().path("revision");
        assertThat(targets.getList("desiredRevision", String.class)).containsOnly(head);
        assertThat(targets.getList("deployedRevision", String.class)).containsOnly(head);
        assertThat(FLEET.currentSystem("galena")).startsWith("/nix/store/").contains("nixos-system-galena");
        // Each target was deployed exactly once, successfully.
        assertThat(deploymentCounts()).containsOnlyKeys(ALL_TARGETS).allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics)
                .contains("fleetward_target_status{host=\"galena\",kind=\"system\",status=\"IN_SYNC\",target=\"system:galena\"} 1.0")
                .contains("fleetward_target_status{host=\"galena\",kind=\"system\",status=\"DRIFTED\",target=\"system:galena\"} 0.0")
                .contains("fleetward_deployments_total{kind=\"home\",outcome=\"succeeded\"} 2.0")
                .contains("fleetward_deployments_total{kind=\"system\",outcome=\"succeeded\"} 8.0")
                .contains("fleetward_source_fetch_total{result=\"changed\"}")
                .contains("fleetward_deployment_duration_seconds_bucket")
                .contains("fleetward_reconcile_duration_seconds_count")
                .contains("fleetward_source_last_fetch_timestamp_seconds");
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    @Order(2)
    void aCommitToOneHostFolderRedeploysOnlyThatHost() {
        awaitAllInSync(ALL_TARGETS, Duration.ofSeconds(60));
        Map<String, Integer> before = deploymentCounts();
        String galenaBefore = FLEET.currentSystem("galena");
        String revision = FLEET.touch("modules/machines/nixos/galena/default.nix", "galena: open port 443");

        loop.request("test", true);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonPath galena = target("system:galena");
            assertThat(galena.getString("status")).isEqualTo("IN_SYNC");
            assertThat(galena.getString("deployedRevision")).isEqualTo(revision);
        });
        awaitAllInSync(ALL_TARGETS, Duration.ofSeconds(60));
        Map<String, Integer> expected = new HashMap<>(before);
        expected.merge("system:galena", 1, Integer::sum);
        assertThat(deploymentCounts()).isEqualTo(expected);
        assertThat(FLEET.currentSystem("galena")).isNotEqualTo(galenaBefore);
        // The others moved to the new desired revision without a deployment: nothing relevant changed.
        assertThat(target("system:cinnabar").getString("reason")).startsWith("no relevant change since");
        JsonPath latest = given().queryParam("target", "system:galena").queryParam("limit", 1)
                .get("/api/v1/deployments").then().statusCode(200).extract().jsonPath();
        assertThat(latest.getString("[0].revision")).isEqualTo(revision);
        long id = latest.getLong("[0].id");
        String log = given().get("/api/v1/deployments/" + id).then().statusCode(200).extract().path("log");
        assertThat(log).contains("$ clan machines update 'galena'").contains("[galena] ");
    }

    @Test
    @Order(3)
    void anOutOfBandSwitchIsDetectedAndReconciled() {
        awaitAllInSync(ALL_TARGETS, Duration.ofSeconds(60));
        Map<String, Integer> before = deploymentCounts();
        FLEET.switchOutOfBand("cinnabar", "/nix/store/0000000000000000000000000000000a-nixos-system-cinnabar-hand");
        // cinnabar is NixOS without configurationRevision: only the ledger can tell this path is not ours.
        loop.request("test", true);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(deploymentCounts().get("system:cinnabar")).isEqualTo(before.get("system:cinnabar") + 1));
        awaitAllInSync(ALL_TARGETS, Duration.ofSeconds(60));
        assertThat(FLEET.currentSystem("cinnabar")).doesNotContain("-hand");
        JsonPath last = given().queryParam("target", "system:cinnabar").queryParam("limit", 1)
                .get("/api/v1/deployments").then().extract().jsonPath();
        assertThat(last.getString("[0].outcome")).isEqualTo("SUCCEEDED");
        String log = given().get("/api/v1/deployments/" + last.getLong("[0].id")).then().extract().path("log");
        assertThat(log).contains("# reason: out-of-band change");
    }

    @Test
    @Order(4)
    void aFailingDeployIsRetriedWithBackoffAndRecovers() {
        awaitAllInSync(ALL_TARGETS, Duration.ofSeconds(60));
        FLEET.failDeploys("electrum", true);
        String revision = FLEET.touch("modules/machines/nixos/electrum/default.nix", "electrum: new kernel");
        loop.request("test", true);

        // Three attempts (max-attempts=3 in the profile), then it gives up until the revision moves.
        JsonPath history = FleetApi.awaitGaveUp("system:electrum", 3, Duration.ofSeconds(30));
        assertThat(history.getList("outcome", String.class)).containsOnly("FAILED");
        assertThat(history.getList("exitCode", Integer.class)).containsOnly(1);
        assertThat(history.getList("revision", String.class)).containsOnly(revision);
        // Backoff: 300ms then 600ms between attempts (newest first in the list).
        java.time.Instant third = java.time.Instant.parse(history.getString("[0].startedAt"));
        java.time.Instant second = java.time.Instant.parse(history.getString("[1].startedAt"));
        java.time.Instant first = java.time.Instant.parse(history.getString("[2].startedAt"));
        java.time.Instant firstEnd = java.time.Instant.parse(history.getString("[2].endedAt"));
        java.time.Instant secondEnd = java.time.Instant.parse(history.getString("[1].endedAt"));
        assertThat(Duration.between(firstEnd, second)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(Duration.between(secondEnd, third)).isGreaterThanOrEqualTo(Duration.ofMillis(600));
        assertThat(first).isBefore(second);
        String metrics = given().get("/q/metrics").then().extract().asString();
        assertThat(metrics).contains("fleetward_deployments_total{kind=\"system\",outcome=\"failed\"} 3.0")
                .contains("fleetward_target_status{host=\"electrum\",kind=\"system\",status=\"FAILED\",target=\"system:electrum\"} 1.0");

        // The fix lands as a new commit: the backoff restarts and the deploy succeeds.
        FLEET.failDeploys("electrum", false);
        String fixed = FLEET.touch("modules/machines/nixos/electrum/default.nix", "electrum: fix the kernel");
        loop.request("test", true);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonPath electrum = target("system:electrum");
            assertThat(electrum.getString("status")).isEqualTo("IN_SYNC");
            assertThat(electrum.getString("deployedRevision")).isEqualTo(fixed);
        });
        awaitAllInSync(ALL_TARGETS, Duration.ofSeconds(60));
    }

    @Test
    @Order(5)
    void aBrokenOverlayKeepsTheLastGoodInventoryAndSaysWhy() {
        awaitAllInSync(ALL_TARGETS, Duration.ofSeconds(60));
        String good = given().get("/api/v1/source").then().extract().path("inventoryRevision");
        String broken = FLEET.commit("fleetward.yaml", "hosts:\n  galena:\n    target-hots: root@galena.zt\n",
                "typo in the overlay");
        loop.request("test", true);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonPath source = given().get("/api/v1/source").then().statusCode(200).extract().jsonPath();
            assertThat(source.getString("revision")).isEqualTo(broken);
            assertThat(source.getString("inventoryRevision")).isEqualTo(good);
            assertThat(source.getString("inventoryError")).contains("fleetward.yaml:3").contains("target-hots");
        });
        // The fleet is untouched: same targets, still aiming at the last revision whose inventory was good.
        JsonPath targets = targets();
        assertThat(targets.getList("id", String.class)).containsExactlyElementsOf(ALL_TARGETS);
        assertThat(targets.getList("desiredRevision", String.class)).containsOnly(good);
    }

    @Test
    @Order(6)
    void malformedRequestsGetAClearError() {
        given().get("/api/v1/targets/system:no;such").then().statusCode(400).body("error", org.hamcrest.Matchers.equalTo("bad request"))
                .body("detail", org.hamcrest.Matchers.containsString("malformed target id"));
        given().get("/api/v1/targets/system:nosuchhost").then().statusCode(404)
                .body("detail", org.hamcrest.Matchers.containsString("system:nosuchhost"));
        given().queryParam("limit", "0").get("/api/v1/deployments").then().statusCode(400)
                .body("detail", org.hamcrest.Matchers.containsString("limit"));
        given().queryParam("target", "home:x").get("/api/v1/deployments").then().statusCode(400);
        given().get("/api/v1/deployments/abc").then().statusCode(400);
        given().get("/api/v1/deployments/999999").then().statusCode(404);
    }
}
