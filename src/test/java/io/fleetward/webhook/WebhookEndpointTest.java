package io.fleetward.webhook;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetward.FleetProfile;
import io.fleetward.LogCapture;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The receivers over real HTTP on a running fleetward: an accepted push makes the loop fetch, bad
 * requests are refused with the right status, and a burst of pushes within one coalesce window costs
 * two fetches, one at once and one when the window ends. The windows run on virtual time
 * ({@link FleetProfile}): they end when a test says so.
 */
@QuarkusTest
@TestProfile(FleetProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebhookEndpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PUSHES = 1000;
    /** What PushTrigger logs when a window ends with pushes waiting. */
    private static final Pattern TRAILING_NUDGE = Pattern.compile("webhook: (\\d+) push\\(es\\) coalesced during");

    @RegisterExtension
    static final LogCapture LOGS = new LogCapture();

    @TestHTTPResource("/webhooks/github")
    URI github;

    /** The coalesce windows' clock (FleetProfile selects it). */
    @Inject
    VirtualScheduler windows;

    private static Response post(String provider, ForgeRequest request) {
        return given().headers(request.headers()).body(request.body()).post("/webhooks/" + provider);
    }

    /** The recorded GitHub push, moved to {@code after}. */
    private static byte[] githubPush(String after) {
        try {
            ObjectNode payload = (ObjectNode) JSON.readTree(ForgeRequest.payload("github-push.json"));
            payload.put("after", after);
            return JSON.writeValueAsBytes(payload);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ForgeRequest githubPushRequest(String after) {
        return ForgeRequest.push(Provider.GITHUB, FleetProfile.GITHUB_SECRET, githubPush(after),
                UUID.randomUUID().toString());
    }

    private static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** Webhook requests from {@code provider} answered with {@code result} so far. */
    private static double requests(String provider, String result) {
        String series = "fleetward_webhook_requests_total{provider=\"" + provider + "\",result=\"" + result + "\"} ";
        return metrics().lines().filter(line -> line.startsWith(series))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length()))).sum();
    }

    /** Every fetch so far, whatever its result. */
    private static long fetches() {
        return metrics().lines().filter(line -> line.startsWith("fleetward_source_fetch_total{"))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    @Order(1)
    void aPingIsAnsweredOk() {
        ForgeRequest ping = ForgeRequest.push(Provider.GITHUB, FleetProfile.GITHUB_SECRET,
                ForgeRequest.payload("github-ping.json"), UUID.randomUUID().toString()).with("X-GitHub-Event", "ping");

        post("github", ping).then().statusCode(200).contentType("application/json").body("result", equalTo("ping"));
    }

    @Test
    @Order(2)
    void aSignedPushToTheTrackedBranchMakesTheLoopFetchIt() {
        String revision = FleetProfile.FLEET.touch("modules/machines/nixos/galena/default.nix", "webhook test");

        post("github", githubPushRequest(revision)).then().statusCode(202).body("result", equalTo("accepted"));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(given().get("/api/v1/source").then().extract().<String>path("revision")).isEqualTo(revision));
        // Told again about what it already has, it fetches nothing.
        post("github", githubPushRequest(revision)).then().statusCode(202).body("result", equalTo("current"));
        assertThat(metrics()).contains("fleetward_webhook_requests_total{provider=\"github\",result=\"accepted\"} 1.0")
                .contains("fleetward_webhook_requests_total{provider=\"github\",result=\"current\"} 1.0");
    }

    @Test
    @Order(3)
    void badRequestsAreRefused() {
        ForgeRequest push = githubPushRequest("0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c");

        given().get("/webhooks/github").then().statusCode(405);
        post("github", push.with("X-Hub-Signature-256", "sha256=" + "00".repeat(32))).then().statusCode(401)
                .body("error", equalTo("unauthorized")).body("detail", equalTo("signature does not match the body"));
        post("github", new ForgeRequest(Provider.GITHUB, push.headers(), new byte[1024 * 1024 + 1])).then()
                .statusCode(413).body("error", equalTo("request entity too large"));
        post("gitlab", ForgeRequest.push(Provider.GITLAB, "anything", ForgeRequest.payload("gitlab-push.json"), "d"))
                .then().statusCode(404).body("detail", equalTo("webhook provider gitlab is disabled"));
        post("github", push).then().statusCode(202).body("result", equalTo("accepted"));
        post("github", push).then().statusCode(202).body("result", equalTo("duplicate"));

        assertThat(metrics())
                .contains("fleetward_webhook_requests_total{provider=\"github\",result=\"unauthorized\"} 1.0")
                .contains("fleetward_webhook_requests_total{provider=\"github\",result=\"too_large\"} 1.0")
                .contains("fleetward_webhook_requests_total{provider=\"gitlab\",result=\"disabled\"} 1.0")
                .contains("fleetward_webhook_requests_total{provider=\"github\",result=\"duplicate\"} 1.0");
    }

    @Test
    @Order(4)
    void aGiteaPushSignedWithTheSecretFromTheFileIsAccepted() {
        ForgeRequest push = ForgeRequest.push(Provider.GITEA, FleetProfile.GITEA_SECRET,
                ForgeRequest.payload("gitea-push.json"), UUID.randomUUID().toString());

        post("gitea", push).then().statusCode(202).body("result", equalTo("accepted"));
    }

    @Test
    @Order(5)
    void aThousandPushesWithinOneWindowCauseOneFetchAtOnceAndOneWhenItEnds() throws Exception {
        endOpenWindows();
        long before = fetches();
        double acceptedBefore = requests("github", "accepted");
        SecureRandom random = new SecureRandom();
        List<ForgeRequest> pushes = new ArrayList<>();
        for (int i = 0; i < PUSHES; i++) {
            byte[] commit = new byte[20];
            random.nextBytes(commit);
            pushes.add(githubPushRequest(HexFormat.of().formatHex(commit)));
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        ExecutorService senders = Executors.newFixedThreadPool(4);
        List<JsonNode> answers = new ArrayList<>();
        try {
            List<Callable<HttpResponse<String>>> sends = pushes.stream()
                    .<Callable<HttpResponse<String>>>map(push -> () -> send(client, push)).toList();
            for (Future<HttpResponse<String>> sent : senders.invokeAll(sends)) {
                HttpResponse<String> response = sent.get();
                assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
                answers.add(JSON.readTree(response.body()));
            }
        } finally {
            senders.shutdownNow();
        }
        assertThat(answers).allSatisfy(answer -> assertThat(answer.path("result").asText()).isEqualTo("accepted"));
        assertThat(requests("github", "accepted") - acceptedBefore).isEqualTo(PUSHES);
        // The window stays open until the test ends it: the first push found none open and asked for a
        // fetch at once, every other one fell into the window that push opened.
        List<String> reasons = answers.stream().map(answer -> answer.path("reason").asText()).toList();
        assertThat(reasons).filteredOn(reason -> reason.endsWith(": fetch requested")).hasSize(1);
        assertThat(reasons).filteredOn(reason -> reason.endsWith(": coalesced with other pushes, one fetch follows "
                + "shortly")).hasSize(PUSHES - 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> fetches() - before >= 1);

        // The window ends: one trailing nudge carries every other push, and the loop fetches once more.
        assertThat(endWindow()).isEqualTo(PUSHES - 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> fetches() - before >= 2);
        // The window that nudge opened ends with no push waiting: the trigger is idle, nothing else will fetch.
        assertThat(endWindow()).isZero();
        assertThat(windows.pending()).isZero();
        assertThat(fetches() - before).isEqualTo(2);
    }

    private HttpResponse<String> send(HttpClient client, ForgeRequest push) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(github).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(push.body()));
        push.headers().forEach(request::header);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Ends the coalesce windows earlier tests left open, and waits for the fetch a trailing nudge asked for. */
    private void endOpenWindows() {
        while (windows.pending() > 0) {
            long fetched = fetches();
            if (endWindow() > 0) {
                await().atMost(Duration.ofSeconds(30)).until(() -> fetches() > fetched);
            }
        }
    }

    /**
     * Moves the virtual clock past the open coalesce window; returns how many pushes the trailing
     * nudge at its end carried, from the line the trigger logs for it (0: no push waited, no nudge).
     */
    private int endWindow() {
        int nudges = trailingNudges().size();
        windows.advance(FleetProfile.WINDOW);
        List<Integer> after = trailingNudges();
        assertThat(after.size() - nudges).as("trailing nudges at the end of one window").isBetween(0, 1);
        return after.size() == nudges ? 0 : after.get(after.size() - 1);
    }

    /** The pushes each trailing nudge so far carried. */
    private static List<Integer> trailingNudges() {
        return LOGS.lines().stream().map(TRAILING_NUDGE::matcher).filter(Matcher::find)
                .map(m -> Integer.parseInt(m.group(1))).toList();
    }
}
