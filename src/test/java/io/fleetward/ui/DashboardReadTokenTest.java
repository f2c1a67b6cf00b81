package io.fleetward.ui;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import io.fleetward.FleetProfile;
import io.fleetward.api.ReadTokenProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * With read-requires-token the pages hold no fleet data without the token: a request without one
 * gets the page that asks for it, a wrong one 401, the right one the page; the event stream needs it too.
 */
@QuarkusTest
@TestProfile(ReadTokenProfile.class)
class DashboardReadTokenTest {

    @ParameterizedTest
    @ValueSource(strings = {"/", "/plan", "/targets/system:galena", "/deployments/1"})
    void pagesAskForTheTokenFirst(String path) {
        given().get(path).then().statusCode(200).header("Content-Security-Policy", PageHeaders.CSP)
                .body(containsString("data-locked=\"true\"")).body(containsString("needs an API token"))
                .body(not(containsString("galena"))).body(not(containsString("data-target")));
        given().header("Authorization", "Bearer " + FleetProfile.randomToken()).get(path).then().statusCode(401)
                .body(containsString("Refused: invalid bearer token"));
        given().header("Authorization", "Bearer " + ReadTokenProfile.TOKEN).get(path).then()
                .body(containsString("data-locked=\"false\""));
    }

    @org.junit.jupiter.api.Test
    void theFleetPageAndItsStreamWithTheToken() throws Exception {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> given()
                .header("Authorization", "Bearer " + ReadTokenProfile.TOKEN).get("/").then().extract().asString()
                .contains("data-target=\"system:galena\""));
        given().get("/ui/events?page=fleet").then().statusCode(401);
        // The pages and their stream are no part of the API's description.
        given().get("/q/openapi").then().statusCode(200).body(not(containsString("/ui/events")))
                .body(not(containsString("\n  /targets/{id}:"))).body(not(containsString("\n  /plan:")))
                .body(containsString("\n  /api/v1/targets/{id}:"));
        given().header("Authorization", "Bearer " + ReadTokenProfile.TOKEN).get("/ui/events?page=nosuch").then()
                .statusCode(400).body(containsString("page: expected"));

        HttpResponse<InputStream> stream = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + RestAssured.port + "/ui/events?page=fleet"))
                .header("Authorization", "Bearer " + ReadTokenProfile.TOKEN).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            String event = lines.readLine();
            String data = lines.readLine();
            assertThat(event).matches("event: ?fleet");
            // The first event of a page carries every cell, as one line of JSON.
            assertThat(data).matches("data: ?\\{.*\\}").contains("\"full\":true").contains("\"id\":\"system:galena\"")
                    .contains("\"counts\":{");
        }
    }
}
