package io.fleetward.reconcile;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Dry run plans, logs and reports every deployment once per revision, and runs nothing. */
@QuarkusTest
@TestProfile(DryRunProfile.class)
class DryRunTest {
    @Inject
    ReconcileLoop loop;

    @Test
    void plansAndReportsButRunsNothing() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonPath deployments = given().queryParam("limit", 1000).get("/api/v1/deployments").then().extract()
                    .jsonPath();
            assertThat(deployments.getList("target", String.class)).hasSize(10).doesNotHaveDuplicates();
            assertThat(deployments.getList("outcome", String.class)).containsOnly("DRY_RUN");
        });
        long id = given().queryParam("target", "system:galena").get("/api/v1/deployments").then().extract().jsonPath()
                .getLong("[0].id");
        assertThat(given().get("/api/v1/deployments/" + id).then().extract().<String>path("log"))
                .contains("$ clan machines update 'galena'");
        // Nothing was activated anywhere; the targets stay DRIFTED.
        assertThat(Files.exists(DryRunProfile.FLEET.host("galena").resolve("run/current-system"))).isFalse();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(given().get("/api/v1/targets").then()
                .extract().jsonPath().getList("status", String.class)).containsOnly("DRIFTED"));

        // Another pass at the same revision does not report them again.
        loop.request("test", true);
        await().atMost(Duration.ofSeconds(10)).until(() -> given().get("/api/v1/source").then().extract()
                .<String>path("lastFetchAt") != null);
        loop.request("test", false);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(given().queryParam("limit", 1000).get("/api/v1/deployments").then().extract().jsonPath()
                        .getList("id")).hasSize(10));
    }
}
