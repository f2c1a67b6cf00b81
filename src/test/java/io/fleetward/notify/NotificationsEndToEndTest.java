package io.fleetward.notify;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetward.FleetApi;
import io.fleetward.FleetProfile;
import io.fleetward.LogCapture;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The running daemon, configured through its real keys ({@link FleetProfile}: a signed webhook
 * notifier {@code ops}), tells a real receiver of its deployments, counts them in {@code /q/metrics},
 * and never logs the notifier's secret.
 */
@QuarkusTest
@TestProfile(FleetProfile.class)
class NotificationsEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final LogCapture LOGS = new LogCapture();

    /** The deployment events the receiver got with a valid signature, as {@code <event> <target>}. */
    private static List<String> signedEvents() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(FleetProfile.NOTIFY_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        List<String> events = new java.util.ArrayList<>();
        for (RecordingServer.Request request : FleetProfile.NOTIFY_RECEIVER.requests()) {
            String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(request.body()));
            if (expected.equals(request.header("X-Fleetward-Signature"))) {
                JsonNode body = JSON.readTree(request.body());
                events.add(body.get("event").asText() + " " + body.get("target").asText());
            }
        }
        return events;
    }

    @Test
    void theFirstConvergenceIsToldSignedAndCounted() throws Exception {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(signedEvents())
                .contains("deployment-succeeded system:galena", "deployment-started system:galena"));

        assertThat(signedEvents()).as("every reference target was told started and succeeded at least once")
                .containsAll(FleetApi.REFERENCE_TARGETS.stream().map(t -> "deployment-succeeded " + t).toList());
        assertThat(FleetProfile.NOTIFY_RECEIVER.requests()).allSatisfy(request ->
                assertThat(request.path()).isEqualTo("/fleetward"));
        String scrape = given().get("/q/metrics").then().statusCode(200).extract().asString();
        String delivered = "fleetward_notifications_total{notifier=\"ops\",result=\"delivered\"} ";
        assertThat(scrape.lines().filter(line -> line.startsWith(delivered))
                .mapToDouble(line -> Double.parseDouble(line.substring(delivered.length()))).sum())
                .isGreaterThanOrEqualTo(2.0 * FleetApi.REFERENCE_TARGETS.size());
        assertThat(scrape).contains("fleetward_notifications_total{notifier=\"ops\",result=\"dropped\"} 0.0");
        assertThat(LOGS.lines()).noneMatch(line -> line.contains(FleetProfile.NOTIFY_SECRET));
    }
}
