package io.fleetward.api;

import static io.fleetward.FleetApi.awaitAllInSync;
import static io.fleetward.FleetApi.deploymentCounts;
import static io.fleetward.FleetApi.target;
import static io.fleetward.FleetApi.targets;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleetward.FleetApi;
import io.fleetward.FleetProfile;
import io.fleetward.SimulatedFleet;
import io.fleetward.reconcile.ReconcileLoop;
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
 * The loop end to end in the running daemon, on a real git repository and the stand-in tools of
 * the demo: convergence as the API, the metrics and readiness show it, a one-host change and an
 * out-of-band change. (The loop's rules are covered pass by pass in {@code ReconcileLoopTest}.)
 * Each scenario starts from a converged fleet and counts deployments relative to its start: other
 * scenarios share this instance.
 */
@QuarkusTest
@TestProfile(FleetProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LoopEndToEndTest {
    private static final SimulatedFleet FLEET = FleetProfile.FLEET;
    private static final List<String> ALL_TARGETS = FleetApi.REFERENCE_TARGETS;

    @Inject
    ReconcileLoop loop;

    @Test
    @Order(1)
    void aConvergedFleetShowsInTheApiTheMetricsAndReadiness() {
        awaitAllInSync(ALL_TARGETS, Duration.ofSeconds(60));
        JsonPath targets = targets();
        assertThat(targets.getList("id", String.class)).containsExactlyElementsOf(ALL_TARGETS);
        JsonPath source = given().get("/api/v1/source").then().statusCode(200).extract().jsonPath();
        String head = source.getString("revision");
        assertThat(source.getMap("")).containsEntry("stalled", null);
        assertThat(targets.getList("desiredRevision", String.class)).containsOnly(head);
        assertThat(FLEET.currentSystem("galena")).startsWith("/nix/store/").contains("nixos-system-galena");
        // Every target was deployed, successfully, by this instance.
        assertThat(deploymentCounts()).containsOnlyKeys(ALL_TARGETS).allSatisfy((id, n) -> assertThat(n).isPositive());
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics)
                .contains("fleetward_target_status{host=\"galena\",kind=\"system\",target=\"system:galena\"} 0.0")
                .containsPattern("fleetward_targets\\{status=\"IN_SYNC\"} [1-9][0-9]*\\.0")
                .doesNotContain("status=\"IN_SYNC\",target=")
                .contains("fleetward_deployments_total{kind=\"home\",outcome=\"succeeded\"}")
                .contains("fleetward_deployments_total{kind=\"system\",outcome=\"succeeded\"}")
                .contains("fleetward_source_fetch_total{result=\"changed\"}")
                .contains("fleetward_deployment_duration_seconds_bucket")
                .contains("fleetward_reconcile_duration_seconds_count")
                .contains("fleetward_source_last_fetch_timestamp_seconds")
                .contains("fleetward_source_stalled 0.0")
                .contains("fleetward_source_refusals_total{reason=\"inventory\"} 0.0");
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
        // No trigger: the scheduled probe (every host once per fleetward.probe.interval, 16 s here) finds it.

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
}
