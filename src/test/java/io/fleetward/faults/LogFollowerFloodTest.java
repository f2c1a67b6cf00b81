package io.fleetward.faults;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.fleetward.FleetApi;
import io.fleetward.FleetProfile;
import io.fleetward.LogCapture;
import io.fleetward.SimulatedFleet;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Many clients following the log of a deployment that runs and prints nothing for as long as the
 * test holds it (the stand-in's {@code deploy-hold}): the default cap of 32 followers holds, a
 * follower's place comes back when its client goes away, and followers hold no request thread, so
 * the API, health and metrics still answer. Followers are Java HttpClient requests on their own
 * connections.
 */
@QuarkusTest
@TestProfile(FleetProfile.class)
class LogFollowerFloodTest {
    private static final SimulatedFleet FLEET = FleetProfile.FLEET;
    /** fleetward.api.max-log-followers' default, which the shared profile keeps. */
    private static final int MAX_FOLLOWERS = 32;

    @RegisterExtension
    static final LogCapture LOGS = new LogCapture();

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** A client following a log: the open response, read line by line. */
    private record Follower(HttpResponse<InputStream> response, BufferedReader lines) {
        void leave() throws IOException {
            response.body().close();
        }
    }

    @AfterAll
    static void noTokenWasLogged() {
        assertThat(LOGS.lines()).anySatisfy(line -> assertThat(line).contains("plan: deploy system:"));
        assertThat(String.join("\n", LOGS.lines())).doesNotContain(FleetProfile.ALL_TOKENS);
    }

    @Test
    void theFollowerAfterTheCapGets429AndPlacesComeBackWhenFollowersLeave() throws Exception {
        long id = startHeldDeployment("blackphos");
        List<Follower> followers = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_FOLLOWERS; i++) {
                followers.add(follow(id));
            }

            HttpResponse<String> refused = get("/api/v1/deployments/" + id + "/log", HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/json"));
            JsonPath error = JsonPath.from(refused.body());
            assertThat(error.getString("error")).isEqualTo("too many requests");
            assertThat(error.getString("detail")).contains("fleetward.api.max-log-followers");

            // The log is silent: only the clients' disconnecting can give the places back.
            for (Follower follower : followers) {
                follower.leave();
            }
            followers.clear();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                while (followers.size() < MAX_FOLLOWERS) {
                    HttpResponse<InputStream> response = get("/api/v1/deployments/" + id + "/log",
                            HttpResponse.BodyHandlers.ofInputStream());
                    if (response.statusCode() != 200) {
                        response.body().close();
                        return false;
                    }
                    followers.add(following(response, id));
                }
                return true;
            });
            assertThat(get("/api/v1/deployments/" + id + "/log", HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(429);
        } finally {
            for (Follower follower : followers) {
                follower.leave();
            }
            release("blackphos", id);
        }
    }

    @Test
    void aCrowdOfFollowersHoldsNoRequestThreadAndTheDaemonStillAnswers() throws Exception {
        long id = startHeldDeployment("cinnabar");
        List<Follower> followers = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_FOLLOWERS; i++) {
                followers.add(follow(id));
            }
            List<CompletableFuture<HttpResponse<String>>> crowd = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                crowd.add(client.sendAsync(request("/api/v1/deployments/" + id + "/log"),
                        HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> answer : crowd) {
                assertThat(answer.get().statusCode()).isEqualTo(429);
            }

            assertThat(requestThreadsInLogStreams()).isEmpty();
            given().get("/api/v1/targets").then().statusCode(200).body("id", org.hamcrest.Matchers.hasItem("system:cinnabar"));
            given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
            given().get("/q/metrics").then().statusCode(200).body(containsString("fleetward_target_status"));

            // Every follower gets the rest of the log once the deployment goes on, and its end.
            FLEET.holdDeploys("cinnabar", false);
            for (Follower follower : followers) {
                String rest = readToEnd(follower.lines());
                assertThat(rest).contains("[cinnabar] activating the configuration...")
                        .contains("# outcome: SUCCEEDED");
            }
        } finally {
            for (Follower follower : followers) {
                follower.leave();
            }
            release("cinnabar", id);
        }
    }

    /** Starts a deployment of {@code host} that waits before activating until released; returns its id. */
    private static long startHeldDeployment(String host) {
        FleetApi.awaitAllInSync(FleetApi.REFERENCE_TARGETS, Duration.ofSeconds(60));
        FLEET.holdDeploys(host, true);
        given().header("Authorization", "Bearer " + FleetProfile.TOKEN).post("/api/v1/targets/system:" + host + "/sync")
                .then().statusCode(202);
        return await().atMost(Duration.ofSeconds(30)).until(() -> {
            Map<String, Object> last = given().queryParam("target", "system:" + host).queryParam("limit", 1)
                    .get("/api/v1/deployments").then().statusCode(200).extract().jsonPath()
                    .<Map<String, Object>>getList("$").get(0);
            return "RUNNING".equals(last.get("outcome")) ? ((Number) last.get("id")).longValue() : null;
        }, Objects::nonNull);
    }

    /** Lets the held deployment finish and waits until it has, leaving a converged fleet. */
    private static void release(String host, long id) {
        FLEET.holdDeploys(host, false);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/v1/deployments/" + id).then()
                .body("outcome", equalTo("SUCCEEDED")));
        FleetApi.awaitAllInSync(FleetApi.REFERENCE_TARGETS, Duration.ofSeconds(60));
    }

    /** A client that follows the log and has read its first line. */
    private Follower follow(long id) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = get("/api/v1/deployments/" + id + "/log",
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        return following(response, id);
    }

    private static Follower following(HttpResponse<InputStream> response, long id) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        assertThat(lines.readLine()).startsWith("# fleetward deployment " + id + ": ");
        return new Follower(response, lines);
    }

    private <T> HttpResponse<T> get(String path, HttpResponse.BodyHandler<T> body)
            throws IOException, InterruptedException {
        return client.send(request(path), body);
    }

    private static HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + path)).build();
    }

    private static String readToEnd(BufferedReader lines) throws IOException {
        StringBuilder text = new StringBuilder();
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            text.append(line).append('\n');
        }
        return text.toString();
    }

    /** The daemon's request threads (event loops, workers) now inside a log stream: there should be none. */
    private static List<String> requestThreadsInLogStreams() {
        return Arrays.stream(ManagementFactory.getThreadMXBean().dumpAllThreads(false, false))
                .filter(thread -> thread.getThreadName().startsWith("executor-thread-")
                        || thread.getThreadName().startsWith("vert.x-eventloop-thread-"))
                .filter(thread -> Arrays.stream(thread.getStackTrace())
                        .anyMatch(frame -> frame.getClassName().startsWith("io.fleetward.api.DeploymentLogStream")))
                .map(ThreadInfo::getThreadName)
                .toList();
    }
}
