package io.fleetward.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.fleetward.FleetApi;
import io.fleetward.FleetProfile;
import io.fleetward.SimulatedFleet;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/v1/rollout} end to end on the reference fleet: a canary whose deployment fails halts
 * the rollout (API, target reasons, metrics), a resume with the token continues it, and the fleet is
 * left converged with its original overlay.
 */
@QuarkusTest
@TestProfile(FleetProfile.class)
class RolloutApiTest {
    private static final SimulatedFleet FLEET = FleetProfile.FLEET;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void aFailingCanaryHaltsTheRolloutAndAResumeWithTheTokenContinuesIt() throws IOException {
        FleetApi.awaitAllInSync(FleetApi.REFERENCE_TARGETS, WAIT);
        given().get("/api/v1/rollout").then().statusCode(200)
                .body("waves.size()", equalTo(1)).body("waves[0].name", equalTo("all"))
                .body("runningWave", equalTo(1)).body("halted", equalTo(null));
        assertThat(FleetApi.metrics()).contains("fleetward_rollout_wave 1.0").contains("fleetward_rollout_halted 0.0");
        given().post("/api/v1/rollout/resume").then().statusCode(401);
        authorized().post("/api/v1/rollout/resume").then().statusCode(409).body("detail", containsString("not halted"));

        Path overlayFile = FLEET.root().resolve("repo/fleetward.yaml");
        String original = Files.readString(overlayFile);
        try {
            FLEET.commit("fleetward.yaml", original.replaceFirst("tags: \\[darwin, workstation]",
                    "tags: [darwin, workstation, canary]") + """
                    rollout:
                      waves:
                        - {name: canary, tags: [canary]}
                        - {name: servers, tags: [server]}
                      soak: 0s
                    """, "rollout policy");
            FLEET.failDeploys("stibnite", true);
            String bad = FLEET.touch("flake.lock", "bump nixpkgs");
            authorized().post("/api/v1/refresh").then().statusCode(202);

            await().atMost(WAIT).untilAsserted(() -> given().get("/api/v1/rollout").then().statusCode(200)
                    .body("revision", equalTo(bad))
                    .body("halted", containsString("system:stibnite failed (")));
            JsonPath rollout = given().get("/api/v1/rollout").then().extract().jsonPath();
            assertThat(rollout.getList("waves.name", String.class)).containsExactly("canary", "servers", "(rest)");
            assertThat(rollout.getString("waves[0].targets[0].target")).isEqualTo("system:stibnite");
            assertThat(rollout.getString("waves[0].targets[0].phase")).isEqualTo("failed");
            assertThat(rollout.getString("waves[1].targets[0].status")).isEqualTo("DRIFTED");
            assertThat(FleetApi.target("system:galena").getString("reason"))
                    .startsWith("held: rollout of " + bad.substring(0, 7) + " halted: system:stibnite failed (");
            assertThat(FleetApi.metrics()).contains("fleetward_rollout_halted 1.0");
            JsonPath plan = given().get("/api/v1/plan").then().statusCode(200).extract().jsonPath();
            assertThat(plan.getList("deferred.reason", String.class)).anySatisfy(reason ->
                    assertThat(reason).startsWith("held: rollout of"));

            authorized().post("/api/v1/rollout/resume").then().statusCode(200).body("halted", equalTo(null));

            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(FleetApi.target("system:galena").getString("deployedRevision")).isEqualTo(bad);
                assertThat(FleetApi.target("system:rosegold").getString("deployedRevision")).isEqualTo(bad);
            });
            assertThat(FleetApi.metrics()).contains("fleetward_rollout_halted 0.0")
                    .contains("fleetward_rollout_wave 3.0");
            given().get("/api/v1/rollout").then().body("pending", equalTo(java.util.List.of("system:stibnite")));
        } finally {
            FLEET.failDeploys("stibnite", false);
            FLEET.commit("fleetward.yaml", original, "no rollout policy");
            authorized().post("/api/v1/refresh").then().statusCode(202);
        }
        FleetApi.awaitAllInSync(FleetApi.REFERENCE_TARGETS, WAIT);
    }

    private static io.restassured.specification.RequestSpecification authorized() {
        return given().header("Authorization", "Bearer " + FleetProfile.TOKEN);
    }
}
