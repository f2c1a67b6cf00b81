package io.fleetward.webhook;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The receivers over real HTTP on a running fleetward: an accepted push makes the loop fetch, bad
 * requests are refused with the right status, and a burst of pushes costs at most two fetches.
 */
@QuarkusTest
@TestProfile(WebhookProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebhookEndpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PUSHES = 1000;
    private static final Duration WINDOW = Duration.ofSeconds(10);

    @TestHTTPResource("/webhooks/github")
    URI github;

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
        return ForgeRequest.push(Provider.GITHUB, WebhookProfile.GITHUB_SECRET, githubPush(after),
                UUID.randomUUID().toString());
    }

    private static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** Every fetch so far, whatever its result. */
    private static long fetches() {
        return metrics().lines().filter(line -> line.startsWith("fleetward_source_fetch_total{"))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    @Order(1)
    void aPingIsAnsweredOk() {
        ForgeRequest ping = ForgeRequest.push(Provider.GITHUB, WebhookProfile.GITHUB_SECRET,
                ForgeRequest.payload("github-ping.json"), UUID.randomUUID().toString()).with("X-GitHub-Event", "ping");

        post("github", ping).then().statusCode(200).contentType("application/json").body("result", equalTo("ping"));
    }

    @Test
    @Order(2)
    void aSignedPushToTheTrackedBranchMakesTheLoopFetchIt() {
        String revision = WebhookProfile.FLEET.touch("modules/machines/nixos/galena/default.nix", "webhook test");

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
        ForgeRequest push = ForgeRequest.push(Provider.GITEA, WebhookProfile.GITEA_SECRET,
                ForgeRequest.payload("gitea-push.json"), UUID.randomUUID().toString());

        post("gitea", push).then().statusCode(202).body("result", equalTo("accepted"));
    }

    @Test
    @Order(5)
    void aThousandPushesWithinTenSecondsCauseAtMostTwoFetches() throws Exception {
        long before = fetches();
        SecureRandom random = new SecureRandom();
        List<ForgeRequest> pushes = new ArrayList<>();
        for (int i = 0; i < PUSHES; i++) {
            byte[] commit = new byte[20];
            random.nextBytes(commit);
            pushes.add(githubPushRequest(HexFormat.of().formatHex(commit)));
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        ExecutorService senders = Executors.newFixedThreadPool(4);
        long start = System.nanoTime();
        try {
            List<Callable<long[]>> sends = pushes.stream().<Callable<long[]>>map(push -> () -> {
                HttpRequest.Builder request = HttpRequest.newBuilder(github).timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(push.body()));
                push.headers().forEach(request::header);
                long sent = System.nanoTime();
                HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
                return new long[]{response.statusCode(), System.nanoTime() - sent};
            }).toList();
            long slowest = 0;
            for (Future<long[]> answer : senders.invokeAll(sends)) {
                assertThat(answer.get()[0]).isEqualTo(202);
                slowest = Math.max(slowest, answer.get()[1]);
            }
            assertThat(Duration.ofNanos(slowest)).as("slowest answer").isLessThan(Duration.ofSeconds(2));
        } finally {
            senders.shutdownNow();
        }
        Duration burst = Duration.ofNanos(System.nanoTime() - start);
        assertThat(burst).as("the burst must fit in one coalesce window for this test to mean anything")
                .isLessThan(WINDOW);
        assertThat(metrics()).contains("fleetward_webhook_requests_total{provider=\"github\",result=\"accepted\"} "
                + (PUSHES + 2) + ".0");

        // Watch until the burst's window and the fetch its trailing nudge asks for are well over.
        Duration watch = WINDOW.plusMillis(1500).minus(burst);
        await().during(watch).atMost(watch.plusSeconds(5)).until(() -> fetches() - before <= 2);
        assertThat(fetches() - before).isBetween(1L, 2L);
    }
}
