package io.fleetward.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetward.LogCapture;
import io.fleetward.config.NotifyConfig;
import io.fleetward.config.PlainConfig;
import io.fleetward.reconcile.FleetEvent;
import io.fleetward.reconcile.FleetEvent.Kind;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Delivery to real HTTP servers on the loopback ({@link RecordingServer}), configured through the
 * real keys ({@code fleetward.notify.*}): what each type sends, retries, time limits, the bounded
 * queue, filters, shutdown, and logs that never hold a secret.
 */
class NotificationOutboxTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final LogCapture LOGS = new LogCapture();

    private final RecordingServer server = new RecordingServer();
    private final RecordingNotifyMetrics metrics = new RecordingNotifyMetrics();
    private NotificationOutbox outbox;

    @AfterEach
    void close() {
        if (outbox != null) {
            outbox.close();
        }
        server.close();
    }

    /** An outbox built from these keys, with short time limits unless the keys set them. */
    private NotificationOutbox outbox(String... keysAndValues) {
        Map<String, String> properties = new HashMap<>(Map.of(
                "fleetward.notify.timeout", "2s",
                "fleetward.notify.retry-delay", "20ms",
                "fleetward.notify.shutdown-grace", "2s"));
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        NotifyConfig config = PlainConfig.mapping(NotifyConfig.class, properties);
        outbox = new NotifyWiring().notifications(config, metrics);
        return outbox;
    }

    private void awaitRequests(int count) {
        await().atMost(Duration.ofSeconds(10)).until(() -> server.requests().size() >= count);
    }

    private static JsonNode json(RecordingServer.Request request) throws IOException {
        return JSON.readTree(request.body());
    }

    @Test
    void aWebhookPostsTheEventAsJsonSignedWithItsSecret() throws Exception {
        String secret = "It's a Secret to Everybody";
        outbox("fleetward.notify.ops.type", "webhook", "fleetward.notify.ops.url", server.uri("/hook").toString(),
                "fleetward.notify.ops.secret", secret).post(Events.failed("galena", "server"));

        awaitRequests(1);
        RecordingServer.Request request = server.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/hook");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(request.header("X-Fleetward-Event")).isEqualTo("deployment-failed");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        assertThat(request.header("X-Fleetward-Signature"))
                .isEqualTo("sha256=" + HexFormat.of().formatHex(mac.doFinal(request.body())));
        JsonNode body = json(request);
        assertThat(body.get("event").asText()).isEqualTo("deployment-failed");
        assertThat(body.get("target").asText()).isEqualTo("system:galena");
        assertThat(body.get("host").asText()).isEqualTo("galena");
        assertThat(body.get("revision").asText()).isEqualTo(Events.REVISION);
        assertThat(body.get("outcome").asText()).isEqualTo("failed");
        assertThat(body.get("reason").asText()).isEqualTo("fleetward.commands.system-deploy exited 1");
        assertThat(body.get("tags").get(0).asText()).isEqualTo("server");
        assertThat(body.get("at").asText()).isEqualTo("2026-11-29T12:00:00Z");
        await().until(() -> metrics.count("ops", NotifyMetrics.DELIVERED) == 1);
    }

    @Test
    void aWebhookWithoutASecretIsNotSignedAndAFleetWideEventHasNoTarget() throws Exception {
        outbox("fleetward.notify.ops.type", "webhook", "fleetward.notify.ops.url", server.uri("/hook").toString())
                .post(Events.fleetWide(Kind.SOURCE_VERIFICATION_FAILED));

        awaitRequests(1);
        RecordingServer.Request request = server.requests().get(0);
        assertThat(request.header("X-Fleetward-Signature")).isNull();
        JsonNode body = json(request);
        assertThat(body.get("event").asText()).isEqualTo("source-verification-failed");
        assertThat(body.get("target").isNull()).isTrue();
        assertThat(body.get("host").isNull()).isTrue();
        assertThat(body.get("revision").asText()).isEqualTo(Events.REVISION);
    }

    @Test
    void aServerErrorIsTriedAgainUntilDelivered() {
        server.answering(500, 503);
        outbox("fleetward.notify.ops.type", "webhook", "fleetward.notify.ops.url", server.uri("/hook").toString())
                .post(Events.failed("galena"));

        await().atMost(Duration.ofSeconds(10)).until(() -> metrics.count("ops", NotifyMetrics.DELIVERED) == 1);
        assertThat(server.requests()).hasSize(3);
        assertThat(server.requests()).extracting(RecordingServer.Request::text).containsOnly(server.requests().get(0).text());
        assertThat(metrics.count("ops", NotifyMetrics.FAILED)).isZero();
        assertThat(LOGS.lines()).anyMatch(line -> line.contains("notify ops: deployment-failed of system:galena: "
                + "attempt 1 of 4 failed (HTTP 500)"));
    }

    @Test
    void aClientErrorFailsAtOnceAndIsCounted() {
        server.answering(404);
        outbox("fleetward.notify.ops.type", "webhook", "fleetward.notify.ops.url", server.uri("/gone").toString())
                .post(Events.failed("galena"));

        await().atMost(Duration.ofSeconds(10)).until(() -> metrics.count("ops", NotifyMetrics.FAILED) == 1);
        assertThat(server.requests()).hasSize(1);
        assertThat(metrics.count("ops", NotifyMetrics.DELIVERED)).isZero();
        assertThat(LOGS.lines()).anyMatch(line -> line.contains("deployment-failed of system:galena not delivered "
                + "after 1 attempt(s): HTTP 404"));
    }

    @Test
    void aServerThatNeverAnswersTimesOutOnEveryAttempt() {
        server.silent();
        outbox("fleetward.notify.ops.type", "webhook", "fleetward.notify.ops.url", server.uri("/hook").toString(),
                "fleetward.notify.timeout", "300ms", "fleetward.notify.max-attempts", "2")
                .post(Events.failed("galena"));

        await().atMost(Duration.ofSeconds(10)).until(() -> metrics.count("ops", NotifyMetrics.FAILED) == 1);
        assertThat(server.requests()).hasSize(2);
        assertThat(LOGS.lines()).anyMatch(line -> line.contains("not delivered after 2 attempt(s): "
                + "no answer within 300ms"));
    }

    @Test
    void anAnswerWhoseBodyNeverEndsIsCutOffByTheSameTimeLimit() {
        server.trickling();
        outbox("fleetward.notify.ops.type", "webhook", "fleetward.notify.ops.url", server.uri("/hook").toString(),
                "fleetward.notify.timeout", "300ms", "fleetward.notify.max-attempts", "1")
                .post(Events.failed("galena"));

        await().atMost(Duration.ofSeconds(10)).until(() -> metrics.count("ops", NotifyMetrics.FAILED) == 1);
        assertThat(LOGS.lines()).anyMatch(line -> line.contains("not delivered after 1 attempt(s): "
                + "no answer within 300ms"));
    }

    @Test
    void aFullQueueDropsNewEventsAndCountsThem() {
        server.silent();
        NotificationOutbox outbox = outbox("fleetward.notify.ops.type", "webhook",
                "fleetward.notify.ops.url", server.uri("/hook").toString(), "fleetward.notify.queue-size", "2",
                "fleetward.notify.timeout", "30s", "fleetward.notify.shutdown-grace", "100ms");
        outbox.post(Events.failed("galena"));
        awaitRequests(1); // the first is being sent and waits for an answer that never comes

        outbox.post(Events.failed("cinnabar"));
        outbox.post(Events.failed("electrum"));
        outbox.post(Events.failed("scheelite"));

        assertThat(outbox.waiting("ops")).isEqualTo(2);
        assertThat(metrics.count("ops", NotifyMetrics.DROPPED)).isEqualTo(1);
        assertThat(LOGS.lines()).anyMatch(line -> line.contains(
                "notify ops: deployment-failed of system:scheelite dropped: its queue is full (2 waiting)"));
    }

    @Test
    void eachNotifierGetsOnlyTheKindsHostsAndTagsItAsksFor() throws Exception {
        NotificationOutbox outbox = outbox(
                "fleetward.notify.kinds.type", "webhook", "fleetward.notify.kinds.url", server.uri("/kinds").toString(),
                "fleetward.notify.kinds.events", "deployment-failed",
                "fleetward.notify.hosts.type", "webhook", "fleetward.notify.hosts.url", server.uri("/hosts").toString(),
                "fleetward.notify.hosts.hosts", "galena,cinnabar",
                "fleetward.notify.tags.type", "webhook", "fleetward.notify.tags.url", server.uri("/tags").toString(),
                "fleetward.notify.tags.tags", "laptop");
        outbox.post(Events.about(Kind.DEPLOYMENT_STARTED, "galena", "started", "never deployed", "server"));
        outbox.post(Events.succeeded("galena", "server"));
        outbox.post(Events.failed("rosegold", "laptop"));
        outbox.post(Events.succeeded("cinnabar"));
        outbox.post(Events.fleetWide(Kind.ROLLOUT_HALTED));

        // kinds: rosegold's failure; hosts: galena, cinnabar, the fleet; tags: rosegold, the fleet.
        awaitRequests(6);
        Map<String, List<String>> got = new HashMap<>();
        for (RecordingServer.Request request : server.requests()) {
            JsonNode body = json(request);
            got.computeIfAbsent(request.path(), p -> new java.util.ArrayList<>())
                    .add(body.get("event").asText() + " " + body.get("target").asText());
        }
        assertThat(got.get("/kinds")).containsExactly("deployment-failed system:rosegold");
        assertThat(got.get("/hosts")).containsExactly("deployment-succeeded system:galena",
                "deployment-succeeded system:cinnabar", "rollout-halted null");
        assertThat(got.get("/tags")).containsExactly("deployment-failed system:rosegold", "rollout-halted null");
        assertThat(server.requests()).hasSize(6);
    }

    @Test
    void slackGetsIncomingWebhookJsonWithItsControlCharactersEscaped() throws Exception {
        outbox("fleetward.notify.chat.type", "slack", "fleetward.notify.chat.url",
                server.uri("/services/T000/B000/XXXX").toString())
                .post(Events.about(Kind.DEPLOYMENT_FAILED, "galena", "failed", "exited 1: <error> & more"));

        awaitRequests(1);
        RecordingServer.Request request = server.requests().get(0);
        assertThat(request.path()).isEqualTo("/services/T000/B000/XXXX");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        JsonNode body = json(request);
        assertThat(body.size()).isEqualTo(1);
        assertThat(body.get("text").asText()).isEqualTo("*fleetward* deployment failed: system:galena at 1a2b3c4 "
                + "(failed): exited 1: &lt;error&gt; &amp; more");
    }

    @Test
    void ntfyGetsTheLineWithATitleAPriorityByKindAndTheToken() {
        outbox("fleetward.notify.phone.type", "ntfy", "fleetward.notify.phone.url", server.uri("/fleet-alerts").toString(),
                "fleetward.notify.phone.secret", "tk_ntfytoken",
                "fleetward.notify.phone.events", "deployment-started,deployment-failed,source-verification-failed")
                .post(Events.about(Kind.DEPLOYMENT_STARTED, "galena", "started", "never deployed"));
        outbox.post(Events.failed("galena"));
        outbox.post(Events.fleetWide(Kind.SOURCE_VERIFICATION_FAILED));

        awaitRequests(3);
        List<RecordingServer.Request> requests = server.requests();
        assertThat(requests).extracting(RecordingServer.Request::path).containsOnly("/fleet-alerts");
        assertThat(requests).extracting(r -> r.header("Priority")).containsExactly("2", "4", "5");
        assertThat(requests).extracting(r -> r.header("Authorization")).containsOnly("Bearer tk_ntfytoken");
        RecordingServer.Request failed = requests.get(1);
        assertThat(failed.header("Title")).isEqualTo("fleetward deployment failed: system:galena");
        assertThat(failed.header("Tags")).isEqualTo("x");
        assertThat(failed.text()).isEqualTo("deployment failed: system:galena at 1a2b3c4 (failed): "
                + "fleetward.commands.system-deploy exited 1");
        assertThat(requests.get(2).header("Title")).isEqualTo("fleetward source verification failed: the fleet");
    }

    static Stream<Arguments> forges() {
        return Stream.of(
                Arguments.argumentSet("GitHub (Enterprise API URL)", "github", "/api/v3", "example/fleet",
                        "/api/v3/repos/example/fleet/statuses/" + Events.REVISION, "Authorization", "Bearer forge-token",
                        "context", "failure"),
                Arguments.argumentSet("Gitea, Forgejo", "gitea", "/git", "example/fleet",
                        "/git/api/v1/repos/example/fleet/statuses/" + Events.REVISION, "Authorization",
                        "token forge-token", "context", "failure"),
                Arguments.argumentSet("GitLab (a project in a subgroup)", "gitlab", "", "ops/nix/fleet",
                        "/api/v4/projects/ops%2Fnix%2Ffleet/statuses/" + Events.REVISION, "PRIVATE-TOKEN",
                        "forge-token", "name", "failed"));
    }

    @ParameterizedTest
    @MethodSource("forges")
    void aCommitStatusPerTargetGoesToTheForgesApi(String forge, String base, String repository, String rawPath,
                                                    String authHeader, String authValue, String contextKey,
                                                    String failureState, @TempDir Path dir) throws Exception {
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, "forge-token\n");
        NotificationOutbox outbox = outbox("fleetward.notify.forge.type", "commit-status",
                "fleetward.notify.forge.forge", forge, "fleetward.notify.forge.repository", repository,
                "fleetward.notify.forge.url", server.uri(base).toString(),
                "fleetward.notify.forge.secret-file", tokenFile.toString(),
                "fleetward.notify.forge.events", "deployment-started,deployment-succeeded,deployment-failed,"
                        + "target-unreachable,rollout-halted");
        outbox.post(Events.about(Kind.DEPLOYMENT_STARTED, "galena", "started", "never deployed"));
        outbox.post(Events.about(Kind.TARGET_UNREACHABLE, "galena", "unreachable", "connection refused"));
        outbox.post(Events.fleetWide(Kind.ROLLOUT_HALTED));
        outbox.post(Events.succeeded("galena"));
        outbox.post(Events.failed("cinnabar"));

        awaitRequests(3);
        List<RecordingServer.Request> requests = server.requests();
        assertThat(requests).as("unreachable and a halt are no commit statuses").hasSize(3);
        assertThat(requests).extracting(RecordingServer.Request::rawPath).containsOnly(rawPath);
        assertThat(requests).extracting(r -> r.header(authHeader)).containsOnly(authValue);
        assertThat(requests).extracting(RecordingServer.Request::method).containsOnly("POST");
        List<JsonNode> bodies = requests.stream().map(r -> {
            try {
                return json(r);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).toList();
        assertThat(bodies).extracting(b -> b.get("state").asText()).containsExactly("pending", "success", failureState);
        assertThat(bodies).extracting(b -> b.get(contextKey).asText())
                .containsExactly("fleetward/system:galena", "fleetward/system:galena", "fleetward/system:cinnabar");
        assertThat(bodies.get(1).get("description").asText()).isEqualTo("deployed to galena");
        assertThat(bodies.get(2).get("description").asText())
                .isEqualTo("deployment to cinnabar failed: fleetward.commands.system-deploy exited 1");
        if (forge.equals("github")) {
            assertThat(requests.get(0).header("Accept")).isEqualTo("application/vnd.github+json");
        }
    }

    @Test
    void queuedEventsAreDeliveredAtShutdownWithinTheGrace() {
        NotificationOutbox outbox = outbox("fleetward.notify.ops.type", "webhook",
                "fleetward.notify.ops.url", server.uri("/hook").toString());
        for (String host : List.of("galena", "cinnabar", "electrum", "scheelite")) {
            outbox.post(Events.failed(host));
        }

        outbox.close();

        assertThat(server.requests()).hasSize(4);
        assertThat(metrics.count("ops", NotifyMetrics.DELIVERED)).isEqualTo(4);
        outbox.post(Events.failed("galena"));
        assertThat(metrics.count("ops", NotifyMetrics.DROPPED)).as("after close").isEqualTo(1);
    }

    @Test
    void atShutdownWhatCannotGoOutWithinTheGraceIsCountedNotWaitedFor() {
        server.silent();
        NotificationOutbox outbox = outbox("fleetward.notify.ops.type", "webhook",
                "fleetward.notify.ops.url", server.uri("/hook").toString(), "fleetward.notify.timeout", "60s",
                "fleetward.notify.shutdown-grace", "200ms");
        outbox.post(Events.failed("galena"));
        awaitRequests(1);
        outbox.post(Events.failed("cinnabar"));
        outbox.post(Events.failed("electrum"));

        outbox.close();

        assertThat(metrics.count("ops", NotifyMetrics.FAILED)).as("the one in flight").isEqualTo(1);
        assertThat(metrics.count("ops", NotifyMetrics.DROPPED)).as("the queued ones").isEqualTo(2);
        assertThat(server.requests()).hasSize(1);
        assertThat(LOGS.lines()).anyMatch(line -> line.contains("shutdown grace of 200ms over; stopping with 2 event(s) left"));
    }

    @Test
    void secretsAndSecretUrlsNeverAppearInLogs() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        server.answering(500, 500, 500, 500, 500, 500);
        NotificationOutbox outbox = outbox(
                "fleetward.notify.max-attempts", "2",
                "fleetward.notify.chat.type", "slack",
                "fleetward.notify.chat.url", server.uri("/services/T0/B0/slacksecret123").toString(),
                "fleetward.notify.hook.type", "webhook",
                "fleetward.notify.hook.url", server.uri("/hook?token=querysecret789").toString(),
                "fleetward.notify.hook.secret", "hmacsecret456",
                "fleetward.notify.forge.type", "commit-status", "fleetward.notify.forge.forge", "gitea",
                "fleetward.notify.forge.url", server.uri("/").toString(),
                "fleetward.notify.forge.repository", "example/fleet",
                "fleetward.notify.forge.secret", "forgetokenabc",
                "fleetward.notify.down.type", "ntfy",
                "fleetward.notify.down.url", "http://user:pwsecret999@127.0.0.1:" + closedPort + "/topicsecret555",
                "fleetward.notify.down.secret", "ntfytokendef");
        outbox.post(Events.failed("galena"));

        await().atMost(Duration.ofSeconds(10)).until(() -> Stream.of("chat", "hook", "forge", "down")
                .allMatch(n -> metrics.count(n, NotifyMetrics.FAILED) == 1));
        List<String> lines = LOGS.lines();
        assertThat(lines).as("the log was captured").anyMatch(line -> line.contains("notify chat (slack, http://127.0.0.1:"))
                .anyMatch(line -> line.contains("notify down: deployment-failed of system:galena: attempt 1 of 2 failed"))
                .anyMatch(line -> line.contains("notifications: hook sends webhook to http://127.0.0.1:"));
        for (String secret : List.of("slacksecret123", "querysecret789", "hmacsecret456", "forgetokenabc", "pwsecret999",
                "topicsecret555", "ntfytokendef")) {
            assertThat(lines).as(secret).noneMatch(line -> line.contains(secret));
        }
    }
}
