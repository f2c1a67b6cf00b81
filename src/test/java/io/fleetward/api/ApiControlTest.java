package io.fleetward.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.fleetward.FleetProfile;
import io.fleetward.LogCapture;
import io.fleetward.SimulatedFleet;
import io.fleetward.fleet.StorePath;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The control endpoints end to end on the reference fleet: errors, sync, suspend and resume, fleet
 * pause, the plan, and following a deployment's log. Each scenario starts from a converged fleet.
 */
@QuarkusTest
@TestProfile(FleetProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiControlTest {
    private static final SimulatedFleet FLEET = FleetProfile.FLEET;

    @RegisterExtension
    static final LogCapture LOGS = new LogCapture();

    /** The daemon is shared with other test classes: a scenario that failed half-way leaves the fleet running. */
    @AfterEach
    void leaveTheFleetRunning() {
        if (given().get("/api/v1/fleet").then().extract().jsonPath().getBoolean("paused")) {
            authorized().post("/api/v1/fleet/resume").then().statusCode(200);
        }
    }

    @AfterAll
    static void noTokenWasLogged() {
        // The capture saw the application's lines (the deployment the sync test asked for, for one):
        // without them, finding no token would prove nothing.
        assertThat(LOGS.lines()).anySatisfy(line -> assertThat(line).contains(" of system:cinnabar at ")
                .contains(": SUCCEEDED in "));
        assertThat(String.join("\n", LOGS.lines())).doesNotContain(FleetProfile.ALL_TOKENS);
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "POST | /api/v1/targets/system:nosuchhost/sync    | -                    | 404 | not found          | no target system:nosuchhost",
            "POST | /api/v1/targets/system:nosuchhost/suspend | -                    | 404 | not found          | no target system:nosuchhost",
            "POST | /api/v1/targets/home:nobody@galena/resume  | -                    | 404 | not found          | no target home:nobody@galena",
            "POST | /api/v1/targets/system:nosuchhost/rollback | -                    | 404 | not found          | no target system:nosuchhost",
            "POST | /api/v1/targets/system:Galena!/rollback    | -                    | 400 | bad request        | malformed target id",
            "POST | /api/v1/targets/system:Galena!/sync        | -                    | 400 | bad request        | malformed target id",
            "POST | /api/v1/targets/home:galena/suspend        | -                    | 400 | bad request        | malformed target id",
            "POST | /api/v1/targets/system:galena/suspend      | '{\"reason\": '      | 400 | bad request        | malformed JSON body",
            "POST | /api/v1/fleet/pause                        | '[1, 2]'             | 400 | bad request        | malformed JSON body",
            "POST | /api/v1/fleet/pause                        | '{\"reasons\": \"x\"}' | 400 | bad request      | malformed JSON body: Unrecognized field \"reasons\"",
            "POST | /api/v1/fleet/pause                        | '{\"reason\": \"a\\nb\"}' | 400 | bad request   | reason: expected one line",
            "GET  | /api/v1/targets/system:no;such             | -                    | 400 | bad request        | malformed target id",
            "GET  | /api/v1/targets/system:nosuchhost          | -                    | 404 | not found          | system:nosuchhost",
            "GET  | /api/v1/deployments?limit=0                | -                    | 400 | bad request        | limit",
            "GET  | /api/v1/deployments?target=home:x          | -                    | 400 | bad request        | malformed target id",
            "GET  | /api/v1/deployments/abc                    | -                    | 400 | bad request        | expected a number",
            "GET  | /api/v1/deployments/999999                 | -                    | 404 | not found          | no deployment 999999",
            "GET  | /api/v1/deployments/abc/log                | -                    | 400 | bad request        | deployment id: expected a number",
            "GET  | /api/v1/deployments/999999/log             | -                    | 404 | not found          | no deployment 999999",
            "GET  | /api/v1/no-such-thing                      | -                    | 404 | not found          | no such endpoint",
            "GET  | /api/v1/refresh                            | -                    | 405 | method not allowed | method not allowed",
            "GET  | /api/v1/targets/system:galena/sync         | -                    | 405 | method not allowed | method not allowed"})
    @Order(1)
    void errorsAreJsonWithTheRightStatus(String method, String path, String body, int status, String error,
                                         String detail) {
        RequestSpecification request = authorized();
        if (body != null) {
            request.contentType("application/json").body(body);
        }
        request.request(method, path).then().statusCode(status).contentType("application/json")
                .body("error", equalTo(error)).body("detail", containsString(detail));
    }

    @Test
    @Order(2)
    void syncDeploysATargetThatIsInSync() {
        awaitAllInSync();
        int before = deployments("system:cinnabar").size();
        String path = FLEET.currentSystem("cinnabar");

        authorized().post("/api/v1/targets/system:cinnabar/sync").then().statusCode(202)
                .body("requested", equalTo("sync")).body("target", equalTo("system:cinnabar"));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<Map<String, Object>> history = deployments("system:cinnabar");
            assertThat(history).hasSize(before + 1);
            assertThat(history.get(0)).containsEntry("outcome", "SUCCEEDED").containsEntry("trigger", "sync system:cinnabar");
        });
        awaitAllInSync();
        assertThat(FLEET.currentSystem("cinnabar")).isEqualTo(path); // same revision, same system
    }

    @Test
    @Order(3)
    void aSuspendedTargetIsNotDeployedUntilResumed() {
        awaitAllInSync();
        int before = deployments("system:electrum").size();
        authorized().body("{\"reason\": \"disk replacement\"}").post("/api/v1/targets/system:electrum/suspend").then()
                .statusCode(200).body("suspended", equalTo(true)).body("reason", equalTo("disk replacement"));
        given().get("/api/v1/targets/system:electrum").then().body("suspended", equalTo(true))
                .body("status", equalTo("SUSPENDED"));
        authorized().post("/api/v1/targets/system:electrum/sync").then().statusCode(409)
                .body("error", equalTo("conflict")).body("detail", containsString("suspended"));

        String revision = FLEET.touch("modules/machines/nixos/electrum/default.nix", "electrum: new kernel");
        authorized().post("/api/v1/refresh").then().statusCode(202);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonPath plan = given().get("/api/v1/plan").then().statusCode(200).extract().jsonPath();
            assertThat(plan.getString("desiredRevision")).isEqualTo(revision);
            assertThat(plan.getList("deferred", Map.class)).contains(Map.of("target", "system:electrum", "reason", "suspended"));
        });
        assertThat(deployments("system:electrum")).hasSize(before);

        authorized().post("/api/v1/targets/system:electrum/resume").then().statusCode(200)
                .body("suspended", equalTo(false));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/v1/targets/system:electrum")
                .then().body("status", equalTo("IN_SYNC")).body("deployedRevision", equalTo(revision)));
        assertThat(deployments("system:electrum")).hasSize(before + 1);
    }

    @Test
    @Order(4)
    void aPausedFleetDeploysNothingButIsStillProbedAndResumeDeploys() {
        awaitAllInSync();
        int before = deployments("system:galena").size();
        Instant probedBefore = Instant.parse(given().get("/api/v1/targets/system:scheelite").then().extract()
                .path("lastProbeAt"));
        authorized().body("{\"reason\": \"change freeze\"}").post("/api/v1/fleet/pause").then().statusCode(200)
                .body("paused", equalTo(true)).body("reason", equalTo("change freeze"));
        given().get("/api/v1/fleet").then().statusCode(200).body("paused", equalTo(true))
                .body("reason", equalTo("change freeze")).body("since", org.hamcrest.Matchers.notNullValue());

        String revision = FLEET.touch("modules/machines/nixos/galena/default.nix", "galena: open port 443");
        authorized().post("/api/v1/refresh").then().statusCode(202);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonPath plan = given().get("/api/v1/plan").then().statusCode(200).extract().jsonPath();
            assertThat(plan.getString("desiredRevision")).isEqualTo(revision);
            assertThat(plan.getBoolean("paused")).isTrue();
            assertThat(plan.getList("deployments")).isEmpty();
            assertThat(plan.getList("deferred", Map.class)).contains(Map.of("target", "system:galena", "reason", "fleet paused"));
        });
        // Probing goes on while paused, on its own schedule (fleetward.probe.interval, 16 s in this profile;
        // a result that changes nothing shows with the next pass, at the latest 30 s later).
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(Instant.parse(given()
                .get("/api/v1/targets/system:scheelite").then().extract().path("lastProbeAt"))).isAfter(probedBefore));
        given().get("/api/v1/fleet").then().body("paused", equalTo(true));
        given().get("/api/v1/targets/system:galena").then().body("status", equalTo("DRIFTED"));
        assertThat(deployments("system:galena")).hasSize(before);

        authorized().post("/api/v1/fleet/resume").then().statusCode(200).body("paused", equalTo(false));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/v1/targets/system:galena")
                .then().body("status", equalTo("IN_SYNC")).body("deployedRevision", equalTo(revision)));
        assertThat(deployments("system:galena")).hasSize(before + 1);
        JsonPath plan = given().get("/api/v1/plan").then().extract().jsonPath();
        assertThat(plan.getBoolean("paused")).isFalse();
        assertThat(plan.getList("deployments")).isEmpty();
    }

    @Test
    @Order(5)
    void theLogOfARunningDeploymentIsStreamedUntilItEnds() throws Exception {
        awaitAllInSync();
        FLEET.deployDelay("blackphos", 3);
        try {
            authorized().post("/api/v1/targets/system:blackphos/sync").then().statusCode(202);
            long id = await().atMost(Duration.ofSeconds(30)).until(() -> {
                Map<String, Object> last = deployments("system:blackphos").get(0);
                return "RUNNING".equals(last.get("outcome")) ? ((Number) last.get("id")).longValue() : null;
            }, java.util.Objects::nonNull);

            HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port
                            + "/api/v1/deployments/" + id + "/log")).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
            StringBuilder streamed = new StringBuilder();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String first = lines.readLine();
                assertThat(first).startsWith("# fleetward deployment " + id + ": system:blackphos");
                // The first line arrived while the deployment still runs (the stand-in waits 3 s before activating).
                given().get("/api/v1/deployments/" + id).then().body("outcome", equalTo("RUNNING"));
                streamed.append(first).append('\n');
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    streamed.append(line).append('\n');
                }
            }
            String now = StorePath.nameOf(FLEET.currentSystem("blackphos"));
            assertThat(streamed.toString()).contains("$ clan machines update 'blackphos'")
                    .contains("[blackphos] activating the configuration...")
                    .endsWith("# outcome: SUCCEEDED (exit 0): now at " + now + "\n");
            given().get("/api/v1/deployments/" + id).then().body("outcome", equalTo("SUCCEEDED"));
            // Finished: the whole log at once, the same bytes.
            String whole = given().get("/api/v1/deployments/" + id + "/log").then().statusCode(200)
                    .contentType(containsString("text/plain")).extract().asString();
            assertThat(whole).isEqualTo(streamed.toString());
        } finally {
            FLEET.deployDelay("blackphos", null);
        }
    }

    @Test
    @Order(6)
    void aLogWhoseFileIsGoneIs410() throws IOException {
        Map<String, Object> oldest = deployments("system:stibnite").get(0);
        long id = ((Number) oldest.get("id")).longValue();
        Path file = FLEET.data().resolve("logs/deployment-" + id + ".log");
        assertThat(file).exists();
        Files.delete(file);
        given().get("/api/v1/deployments/" + id + "/log").then().statusCode(410).contentType("application/json")
                .body("error", equalTo("gone")).body("detail", containsString("/api/v1/deployments/" + id));
        // The last lines are still in the database.
        given().get("/api/v1/deployments/" + id).then().statusCode(200).body("log", containsString("# outcome: SUCCEEDED"));
    }

    @Test
    @Order(7)
    void theOpenApiDocumentDescribesTheNewEndpoints() {
        String document = given().get("/q/openapi").then().statusCode(200).extract().asString();
        assertThat(document).contains("/api/v1/refresh", "/api/v1/targets/{id}/sync", "/api/v1/targets/{id}/suspend",
                "/api/v1/targets/{id}/resume", "/api/v1/targets/{id}/rollback", "/api/v1/fleet/pause", "/api/v1/fleet/resume", "/api/v1/fleet",
                "/api/v1/plan", "/api/v1/deployments/{id}/log", "/api/v1/hosts/{host}/report", "fleetward API",
                "scheme: bearer");
    }

    static RequestSpecification authorized() {
        return given().header("Authorization", "Bearer " + FleetProfile.TOKEN);
    }

    static List<Map<String, Object>> deployments(String target) {
        return given().queryParam("target", target).queryParam("limit", 1000).get("/api/v1/deployments").then()
                .statusCode(200).extract().jsonPath().getList("$");
    }

    static void awaitAllInSync() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(given().get("/api/v1/targets").then()
                .statusCode(200).extract().jsonPath().getList("status", String.class)).isNotEmpty().containsOnly("IN_SYNC"));
    }
}
