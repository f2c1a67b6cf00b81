package io.fleetward.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.fleetward.FleetProfile;
import io.fleetward.LogCapture;
import io.fleetward.SimulatedFleet;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Host check-ins, sent by {@code deploy/fleetward-report} running on a simulated host (the stand-in
 * readlink, nixos-version and darwin-version answer for it), and by hand for the refusals.
 */
@QuarkusTest
@TestProfile(FleetProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostReportTest {
    private static final SimulatedFleet FLEET = FleetProfile.FLEET;
    private static final Path SCRIPT = Path.of("deploy/fleetward-report");

    @RegisterExtension
    static final LogCapture LOGS = new LogCapture();

    @TempDir
    static Path dir;

    /** Check-ins counted before this class ran: the instance is shared, so its counts are compared with these. */
    private static final Map<String, Double> COUNTED_BEFORE = new HashMap<>();

    /** Called first by the first scenario (the shared instance is up only once a test runs). */
    private static void countCheckInsSoFar() {
        for (String result : List.of("accepted", "refused", "malformed")) {
            COUNTED_BEFORE.put(result, reports(result));
        }
    }

    /** {@code fleetward_host_reports_total{result}} now (0 before the first). */
    private static double reports(String result) {
        String prefix = "fleetward_host_reports_total{result=\"" + result + "\"} ";
        return given().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(line -> line.startsWith(prefix))
                .mapToDouble(line -> Double.parseDouble(line.substring(prefix.length()))).sum();
    }

    /** What the script printed and how it ended. */
    record Run(int exit, String stdout, String stderr) {
        JsonPath json() {
            return JsonPath.from(stdout);
        }
    }

    @AfterAll
    static void noTokenWasLogged() {
        assertThat(LOGS.lines()).anySatisfy(line -> assertThat(line)
                .contains("refused check-in of host \"galena\": the token does not match"));
        assertThat(String.join("\n", LOGS.lines())).doesNotContain(FleetProfile.ALL_TOKENS);
    }

    @Test
    @Order(1)
    void aNixosHostReportsWhatItRunsAndItIsObserved() throws Exception {
        countCheckInsSoFar();
        ApiControlTest.awaitAllInSync();
        Instant before = Instant.now();
        Run run = report("galena", FleetProfile.GALENA_TOKEN, Map.of());

        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(run.json().getList("observed", String.class)).containsExactly("system:galena");
        assertThat(run.json().getList("drifted", String.class)).isEmpty();
        assertThat(run.json().getBoolean("reconcileTriggered")).isFalse();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonPath galena = given().get("/api/v1/targets/system:galena").then().statusCode(200).extract().jsonPath();
            assertThat(Instant.parse(galena.getString("lastProbeAt"))).isAfterOrEqualTo(before);
            assertThat(galena.getString("currentPath")).isEqualTo(FLEET.currentSystem("galena"));
            assertThat(galena.getString("bootedPath")).startsWith("/nix/store/");
            assertThat(galena.getString("status")).isEqualTo("IN_SYNC");
        });
    }

    @Test
    @Order(2)
    void aDarwinHostReportsItsRevisionAndStandaloneHomesWithoutJq() throws Exception {
        Map<String, String> env = Map.of("FLEETWARD_REPORT_PLATFORM", "darwin", "FLEETWARD_REPORT_JQ", "",
                "FLEETWARD_REPORT_USERS", "christophersmith",
                "FLEETWARD_REPORT_HOMES_DIR", FLEET.host("argentum").resolve("home").toString());
        Instant before = Instant.now();
        Run run = report("argentum", FleetProfile.ARGENTUM_TOKEN, env);

        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(run.json().getList("observed", String.class))
                .containsExactlyInAnyOrder("system:argentum", "home:christophersmith@argentum");
        assertThat(run.json().getList("drifted", String.class)).isEmpty();
        String reported = Files.readString(FLEET.host("argentum").resolve("configuration-revision")).strip();
        // The probes saw the same revision before: only observations made since the report show it arrived.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonPath argentum = given().get("/api/v1/targets/system:argentum").then().extract().jsonPath();
            assertThat(Instant.parse(argentum.getString("lastProbeAt"))).isAfterOrEqualTo(before);
            assertThat(argentum.getString("configurationRevision")).isEqualTo(reported);
            assertThat(argentum.getString("deployedRevision")).isEqualTo(reported);
            assertThat(argentum.getString("status")).isEqualTo("IN_SYNC");
            JsonPath home = given().get("/api/v1/targets/home:christophersmith@argentum").then().extract().jsonPath();
            assertThat(Instant.parse(home.getString("lastProbeAt"))).isAfterOrEqualTo(before);
            assertThat(home.getString("currentPath"))
                    .isEqualTo(Files.readSymbolicLink(FLEET.host("argentum").resolve(
                            "home/christophersmith/.local/state/home-manager/gcroots/current-home")).toString());
        });
    }

    @Test
    @Order(3)
    void aReportThatShowsDriftTriggersADeploymentAtOnce() throws Exception {
        ApiControlTest.awaitAllInSync();
        int before = ApiControlTest.deployments("system:galena").size();
        FLEET.switchOutOfBand("galena", "/nix/store/0000000000000000000000000000000a-nixos-system-galena-hand");

        Run run = report("galena", FleetProfile.GALENA_TOKEN, Map.of());

        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(run.json().getList("drifted", String.class)).containsExactly("system:galena");
        assertThat(run.json().getBoolean("reconcileTriggered")).isTrue();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<Map<String, Object>> history = ApiControlTest.deployments("system:galena");
            assertThat(history).hasSize(before + 1);
            assertThat(history.get(0)).containsEntry("outcome", "SUCCEEDED");
            assertThat((String) history.get(0).get("trigger")).contains("check-in galena");
        });
        assertThat(FLEET.currentSystem("galena")).doesNotContain("-hand");
    }

    @Test
    @Order(3)
    void aCheckInGivesTheAttemptsUsedUpWhileAwayAFreshStart() throws Exception {
        ApiControlTest.awaitAllInSync();
        FLEET.failDeploys("galena", true);
        String revision = FLEET.touch("modules/machines/nixos/galena/default.nix", "galena: new kernel");
        given().header("Authorization", "Bearer " + FleetProfile.TOKEN).post("/api/v1/refresh").then().statusCode(202);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                given().get("/api/v1/targets/system:galena").then().extract().path("reason").toString())
                .contains("gave up after 3 attempts"));
        FLEET.failDeploys("galena", false);

        // No new commit: the check-in alone makes fleetward try again.
        Run run = report("galena", FleetProfile.GALENA_TOKEN, Map.of());

        assertThat(run.exit()).as(run.stderr()).isZero();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(given().get("/api/v1/targets/system:galena").then().extract().path("status").toString())
                    .isEqualTo("IN_SYNC");
            assertThat(ApiControlTest.deployments("system:galena").get(0)).containsEntry("outcome", "SUCCEEDED")
                    .containsEntry("revision", revision);
        });
    }

    @ParameterizedTest(name = "{0} with {1}")
    @CsvSource({
            "galena, ARGENTUM_TOKEN",   // another host's token
            "galena, TOKEN",            // an API token is no check-in token
            "galena, RANDOM",
            "cinnabar, GALENA_TOKEN",   // a host without report-token-sha256
            "nosuchhost, GALENA_TOKEN", // not in the inventory
            "Not-A-Name, GALENA_TOKEN"})
    @Order(4)
    void everyRefusalLooksTheSame(String host, String tokenName) {
        String token = switch (tokenName) {
            case "ARGENTUM_TOKEN" -> FleetProfile.ARGENTUM_TOKEN;
            case "TOKEN" -> FleetProfile.TOKEN;
            case "GALENA_TOKEN" -> FleetProfile.GALENA_TOKEN;
            default -> FleetProfile.randomToken();
        };
        Response response = given().header("Authorization", "Bearer " + token)
                .body("{\"system\": \"/nix/store/0000000000000000000000000000000a-x\"}")
                .post("/api/v1/hosts/" + host + "/report");
        response.then().statusCode(403).contentType("application/json");
        assertThat(response.asString()).isEqualTo("{\"error\":\"forbidden\",\"detail\":\"" + HostReportResource.REFUSED + "\"}");
    }

    @Test
    @Order(5)
    void aReportWithoutATokenIs401() {
        given().body("{}").post("/api/v1/hosts/galena/report").then().statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer")).body("error", equalTo("unauthorized"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "''                                                                           | malformed JSON body: the body is empty",
            "not json                                                                     | malformed JSON body",
            "'{\"system\": \"relative/path\"}'                                             | report: system:",
            "'{\"booted\": \"/nix/store/0000000000000000000000000000000a-x\"}'             | report: system:",
            "'{\"system\": \"/nix/store/a-x\", \"configurationRevision\": \"abc\"}'         | report: configurationRevision:",
            "'{\"system\": \"/nix/store/a-x\", \"homes\": {\"Bad Name\": \"/nix/store/b\"}}' | report: homes:",
            "'{\"system\": \"/nix/store/a-x\", \"homes\": [1]}'                             | malformed JSON body",
            "'{\"system\": \"/nix/store/a-x\", \"extra\": 1}'                               | malformed JSON body: Unrecognized field \"extra\""})
    @Order(6)
    void aMalformedReportIs400WithTheReason(String body, String detail) {
        given().header("Authorization", "Bearer " + FleetProfile.GALENA_TOKEN).body(body)
                .post("/api/v1/hosts/galena/report").then().statusCode(400).contentType("application/json")
                .body("error", equalTo("bad request")).body("detail", containsString(detail));
    }

    @Test
    @Order(7)
    void reportsAreCountedByResult() {
        assertThat(reports("accepted") - COUNTED_BEFORE.get("accepted")).isEqualTo(4.0);
        assertThat(reports("refused") - COUNTED_BEFORE.get("refused")).isEqualTo(7.0);
        assertThat(reports("malformed") - COUNTED_BEFORE.get("malformed")).isEqualTo(8.0);
    }

    @Test
    @Order(8)
    void theScriptFailsOnARefusalAndNeverPutsTheTokenOnItsCommandLine() throws Exception {
        String wrong = FleetProfile.randomToken();
        Path trace = dir.resolve("curl-args");
        // A curl that records its arguments (and its stdin is left to the real one).
        Path bin = Files.createDirectories(dir.resolve("tracing-bin"));
        Path curl = bin.resolve("curl");
        Files.writeString(curl, "#!/bin/sh\nprintf '%s\\n' \"$@\" >> '" + trace + "'\nexec /usr/bin/curl \"$@\"\n");
        assertThat(curl.toFile().setExecutable(true)).isTrue();

        Run run = report("galena", wrong, Map.of("PATH", bin + ":" + FLEET.root().resolve("sim/bin") + ":" + System.getenv("PATH")));

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.stdout()).contains(HostReportResource.REFUSED);
        assertThat(run.stderr()).contains("fleetward refused the report");
        assertThat(Files.readString(trace)).contains("--config", "/api/v1/hosts/galena/report").doesNotContain(wrong);
    }

    @Test
    @Order(9)
    void theScriptIsPosixShell() throws Exception {
        Process check = new ProcessBuilder("sh", "-n", SCRIPT.toString()).redirectErrorStream(true).start();
        assertThat(check.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEmpty();
        assertThat(check.exitValue()).isZero();
    }

    /** Runs the check-in script as host {@code host} of the simulation, with its settings in an env file. */
    private static Run report(String host, String token, Map<String, String> extra) throws IOException, InterruptedException {
        Path tokenFile = dir.resolve(host + ".token");
        Files.writeString(tokenFile, token + "\n");
        Path envFile = dir.resolve(host + ".env");
        Files.writeString(envFile, "FLEETWARD_URL=http://localhost:" + RestAssured.port + "/\n"
                + "FLEETWARD_REPORT_HOST=" + host + "\n"
                + "FLEETWARD_REPORT_TOKEN_FILE=" + tokenFile + "\n"
                + "FLEETWARD_REPORT_TIMEOUT=20\n");
        ProcessBuilder builder = new ProcessBuilder("sh", SCRIPT.toString());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("FLEETWARD_"));
        env.put("PATH", FLEET.root().resolve("sim/bin") + ":" + System.getenv("PATH"));
        env.put("FLEETWARD_SIMULATION", FLEET.root().resolve("sim").toString()); // the stand-ins answer for...
        env.put("FLEETWARD_HOST", host);                                          // ...this host
        env.put("FLEETWARD_REPORT_ENV", envFile.toString());
        env.putAll(extra);
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
