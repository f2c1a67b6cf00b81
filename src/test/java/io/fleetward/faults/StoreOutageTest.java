package io.fleetward.faults;

import static io.fleetward.FleetApi.awaitAllInSync;
import static io.fleetward.FleetApi.metrics;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.fleetward.FleetApi;
import io.fleetward.reconcile.ReconcileLoop;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stops under the running daemon and starts again: while it is down, readiness says so,
 * reads come from memory, the rest is a 503 in the API's JSON, and no deployment starts; once it is
 * back, everything works again without a restart and nothing stored before is lost.
 */
@QuarkusTest
@TestProfile(StoreOutageProfile.class)
class StoreOutageTest {
    private static final Duration HEAL = Duration.ofSeconds(30);

    @Inject
    ReconcileLoop loop;

    @Test
    void aStoreOutageIsReportedServedFromMemoryAndHealsWithoutARestart() {
        awaitAllInSync(FleetApi.REFERENCE_TARGETS, Duration.ofSeconds(60));
        List<Long> rowsBefore = deploymentIds();
        assertThat(rowsBefore).isNotEmpty();
        given().get("/q/health/ready").then().statusCode(200);
        String galenaBefore = StoreOutageProfile.FLEET.currentSystem("galena");

        StoreOutageProfile.SERVER.stop();
        String revision;
        try {
            await().atMost(HEAL).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(503)
                    .body("checks.find { it.name == 'store' }.status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'store' }.data.reason", containsString("failed")));
            // What the loop holds in memory is still served; what needs the database is a 503 in JSON.
            given().get("/api/v1/targets").then().statusCode(200).body("status", hasItem("IN_SYNC"));
            given().get("/api/v1/plan").then().statusCode(200);
            given().get("/api/v1/deployments").then().statusCode(503).contentType("application/json")
                    .body("error", equalTo("service unavailable")).body("detail", containsString("failed"));
            given().header("Authorization", "Bearer " + StoreOutageProfile.TOKEN).contentType("application/json")
                    .body("{\"reason\": \"during the outage\"}").post("/api/v1/fleet/pause").then().statusCode(503)
                    .contentType("application/json").body("error", equalTo("service unavailable"));
            assertThat(metrics()).contains("fleetward_store_up 0.0");

            // A new commit is fetched, but nothing is deployed while no deployment could be recorded.
            revision = StoreOutageProfile.FLEET.touch("modules/machines/nixos/galena/default.nix", "during outage");
            double passes = passCount();
            loop.request("test", true);
            await().atMost(HEAL).until(() -> revision.equals(given().get("/api/v1/source").then().statusCode(200)
                    .extract().path("revision")) && passCount() >= passes + 2);
            assertThat(StoreOutageProfile.FLEET.currentSystem("galena")).isEqualTo(galenaBefore);
        } finally {
            StoreOutageProfile.SERVER.restart();
        }

        // No restart, no request needed: the pool drops its broken connections and the loop goes on.
        await().atMost(HEAL).untilAsserted(() -> {
            given().get("/q/health/ready").then().statusCode(200);
            given().get("/api/v1/deployments").then().statusCode(200);
            JsonPath galena = FleetApi.target("system:galena");
            assertThat(galena.getString("status")).isEqualTo("IN_SYNC");
            assertThat(galena.getString("deployedRevision")).isEqualTo(revision);
        });
        assertThat(StoreOutageProfile.FLEET.currentSystem("galena")).isNotEqualTo(galenaBefore);
        assertThat(deploymentIds()).containsAll(rowsBefore);
        awaitAllInSync(FleetApi.REFERENCE_TARGETS, HEAL);
        assertThat(metrics()).contains("fleetward_store_up 1.0");
    }

    private static List<Long> deploymentIds() {
        return given().queryParam("limit", 1000).get("/api/v1/deployments").then().statusCode(200).extract()
                .jsonPath().getList("id", Long.class);
    }

    /** Reconcile passes so far (the count of the pass duration timer). */
    private static double passCount() {
        return metrics().lines().filter(line -> line.startsWith("fleetward_reconcile_duration_seconds_count"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }
}
