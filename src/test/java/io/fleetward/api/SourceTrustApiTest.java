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
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Anti-rollback through the running daemon: {@code GET /api/v1/source} shows the decision and the
 * revision deployed from; a force-push to an older commit is refused until {@code POST
 * /api/v1/source/accept} accepts it with a token. Only an ignored file changes, so no target moves.
 */
@QuarkusTest
@TestProfile(FleetProfile.class)
class SourceTrustApiTest {
    private static final SimulatedFleet FLEET = FleetProfile.FLEET;

    @RegisterExtension
    static final LogCapture LOGS = new LogCapture();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "-                                                       | 400 | bad request        | the body is empty",
            "'{\"revision\": 1}'                                      | 400 | bad request        | revision: expected a full commit id",
            "'{\"revision\": \"1a2b3c4\"}'                            | 400 | bad request        | revision: expected a full commit id",
            "'{\"rev\": \"1a2b3c4\"}'                                 | 400 | bad request        | malformed JSON body",
            "'{\"revision\": \"0000000000000000000000000000000000000000\"}' | 409 | conflict | is not the fetched revision"})
    void malformedOrMisplacedAcceptancesGet4xx(String body, int status, String error, String detail) {
        var request = given().header("Authorization", "Bearer " + FleetProfile.TOKEN);
        if (body != null) {
            request.contentType("application/json").body(body);
        }
        request.post("/api/v1/source/accept").then().statusCode(status).contentType("application/json")
                .body("error", equalTo(error)).body("detail", containsString(detail));
    }

    @Test
    void aForcePushToAnOlderCommitIsRefusedUntilAcceptedWithAToken() throws Exception {
        String older = FLEET.touch("docs/notes.md", "notes: a line");
        refreshUntil(older, "good");
        String newer = FLEET.touch("docs/notes.md", "notes: another line");
        refreshUntil(newer, "good");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().get("/api/v1/source").then().body("deployedFrom.revision", equalTo(newer)));

        try (Git git = Git.open(FLEET.root().resolve("repo").toFile())) {
            git.reset().setMode(ResetCommand.ResetType.HARD).setRef(older).call();
        }
        JsonPath refused = refreshUntil(older, "not-a-descendant");
        assertThat(refused.getString("verification.detail")).contains("does not descend from");
        assertThat(refused.getString("stalled.revision")).isEqualTo(older);
        assertThat(refused.getString("deployedFrom.revision")).isEqualTo(newer);

        given().contentType("application/json").body("{\"revision\": \"" + older + "\"}")
                .post("/api/v1/source/accept").then().statusCode(401);
        given().header("Authorization", "Bearer " + FleetProfile.SECOND_TOKEN).contentType("application/json")
                .body("{\"revision\": \"" + older + "\"}").post("/api/v1/source/accept").then().statusCode(202)
                .body("requested", equalTo("accept")).body("revision", equalTo(older));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/v1/source").then()
                .body("deployedFrom.revision", equalTo(older))
                .body("deployedFrom.how", equalTo("accepted by the API token sha256:"
                        + FleetProfile.sha256Hex(FleetProfile.SECOND_TOKEN).substring(0, 12)))
                .body("verification.result", equalTo("good"))
                .body("stalled", equalTo(null)));
        assertThat(LOGS.lines()).anyMatch(line -> line.contains("accepted once by the API token sha256:"));
        assertThat(String.join("\n", LOGS.lines())).doesNotContain(FleetProfile.SECOND_TOKEN);
    }

    /** Asks for a fetch until the source shows {@code revision} with that result. */
    private static JsonPath refreshUntil(String revision, String result) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> {
            given().header("Authorization", "Bearer " + FleetProfile.TOKEN).post("/api/v1/refresh");
            return given().get("/api/v1/source").then().statusCode(200).extract().jsonPath();
        }, json -> revision.equals(json.getString("verification.revision"))
                && result.equals(json.getString("verification.result")));
    }
}
