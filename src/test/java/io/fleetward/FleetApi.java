package io.fleetward;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What the end-to-end tests read from a running fleetward, through its REST API and metrics. */
public final class FleetApi {
    /** Every target of the reference fleet (config/demo/repo), sorted as the API lists them. */
    public static final List<String> REFERENCE_TARGETS = List.of("home:christophersmith@argentum",
            "home:janettesmith@rosegold", "system:argentum", "system:blackphos", "system:cinnabar",
            "system:electrum", "system:galena", "system:rosegold", "system:scheelite", "system:stibnite");

    private FleetApi() {
    }

    public static JsonPath targets() {
        return given().get("/api/v1/targets").then().statusCode(200).extract().jsonPath();
    }

    public static JsonPath target(String id) {
        return given().get("/api/v1/targets/" + id).then().statusCode(200).extract().jsonPath();
    }

    public static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** Waits until exactly {@code ids} are the targets and every one is IN_SYNC. */
    public static void awaitAllInSync(List<String> ids, Duration atMost) {
        await().atMost(atMost).untilAsserted(() ->
                assertThat(targets().getList("status", String.class)).hasSize(ids.size()).containsOnly("IN_SYNC"));
    }

    /**
     * Waits until {@code target} is FAILED and has given up after {@code attempts} attempts; returns
     * those attempts' deployments, newest first.
     */
    public static JsonPath awaitGaveUp(String target, int attempts, Duration atMost) {
        await().atMost(atMost).untilAsserted(() -> {
            JsonPath status = target(target);
            assertThat(status.getString("status")).isEqualTo("FAILED");
            assertThat(status.getString("reason")).contains("gave up after " + attempts + " attempts");
        });
        return given().queryParam("target", target).queryParam("limit", attempts).get("/api/v1/deployments")
                .then().statusCode(200).extract().jsonPath();
    }

    /** Successful deployments per target. */
    public static Map<String, Integer> deploymentCounts() {
        JsonPath all = given().queryParam("limit", 1000).get("/api/v1/deployments").then().statusCode(200)
                .extract().jsonPath();
        Map<String, Integer> counts = new HashMap<>();
        List<String> targets = all.getList("target", String.class);
        List<String> outcomes = all.getList("outcome", String.class);
        for (int i = 0; i < targets.size(); i++) {
            if (outcomes.get(i).equals("SUCCEEDED")) {
                counts.merge(targets.get(i), 1, Integer::sum);
            }
        }
        return counts;
    }

    /** {@code counts} with one more deployment of {@code target}. */
    public static Map<String, Integer> plusOne(Map<String, Integer> counts, String target) {
        Map<String, Integer> expected = new HashMap<>(counts);
        expected.merge(target, 1, Integer::sum);
        return expected;
    }
}
